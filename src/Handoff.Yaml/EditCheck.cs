using Handoff.Yaml.Tree;

namespace Handoff.Yaml;

/// <summary>Reads an edited text back before it is handed out, so a splice that went wrong is an error and not a corrupted file.</summary>
internal static class EditCheck
{
    public static YamlEdit ReadsBack(YamlEdit edit, Node target, string fileName, string path, Func<string, bool> holdsValues)
    {
        if (!edit.Changed)
        {
            return edit;
        }

        string? detail = null;
        bool holds;
        try
        {
            holds = holdsValues(edit.Text);
        }
        catch (HandoffException ex)
        {
            holds = false;
            detail = ex is InputFileException input ? input.Problem : ex.Message;
        }

        if (holds)
        {
            return edit;
        }

        throw new YamlEditException(fileName, target.Line, target.Column,
            $"`{path}` could not be edited safely: the edited file would not read back with the values set{(detail is null ? "" : $" ({detail})")}. The file was not changed.",
            "Fix: rewrite the YAML around this key in plain block style (one `key: value` per line), then run again; please also report the file's shape as a Handoff bug.");
    }
}

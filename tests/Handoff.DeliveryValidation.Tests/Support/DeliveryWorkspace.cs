using System.Collections.Concurrent;
using System.Security.Cryptography;
using Handoff.Delivery;
using Handoff.Delivery.Commands;
using Handoff.Delivery.Git;
using Handoff.Rendering;
using Handoff.Testing;

namespace Handoff.DeliveryValidation.Tests.Support;

/// <summary>A clock that stands still until a test moves it.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>What one ValidateDelivery run printed and returned.</summary>
public sealed record ValidationRun(DeliveryValidationResult Result, string Console, string Checkout)
{
    public Reports.ValidationReport Report => Result.Report;

    public IEnumerable<Reports.Finding> Errors => Report.Findings.Where(f => f.Severity == Reports.FindingSeverity.Error);

    public string Read(string reportFile) => File.ReadAllText(reportFile);

    public string Describe() => Console;
}

/// <summary>
/// A real bare delivery repository made from a template folder (the sample, or a variant of it), the
/// Delivery commands to promote through it, and real checkouts to validate. Each template's bare
/// repository is built once per test run and copied, which keeps the suite fast.
/// </summary>
public sealed class DeliveryWorkspace : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Bare = new(StringComparer.Ordinal);
    private static readonly string RunRoot = Path.Combine(Path.GetTempPath(), "handoff-validate-tests-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..6]);
    private int _checkouts;

    private DeliveryWorkspace(TempDirectory directory, string bare)
    {
        Directory = directory;
        BarePath = bare;
    }

    public TempDirectory Directory { get; }

    public string BarePath { get; }

    public FixedClock Clock { get; } = new(Now);

    /// <summary>A per-run folder shared by every test (render cache, template copies).</summary>
    public static string SharedFolder(string name)
    {
        var path = Path.Combine(RunRoot, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteShared()
    {
        try
        {
            System.IO.Directory.Delete(RunRoot, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A tool still closing a file; the OS temp cleaner gets the rest.
        }
    }

    public static Task<DeliveryWorkspace> CreateAsync() => CreateAsync(RepoPaths.InRepo("samples", "delivery-repo"));

    public static async Task<DeliveryWorkspace> CreateAsync(string template)
    {
        var source = await Bare.GetOrAdd(template, t => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(SharedFolder("bare"), Guid.NewGuid().ToString("N")[..8] + ".git");
            await DeliveryTemplate.CreateBareRepositoryAsync(t, path);
            return path;
        })).Value;
        var directory = new TempDirectory("handoff-validate");
        var bare = directory.Combine("delivery.git");
        DirectoryCopy.Copy(source, bare);
        System.IO.Directory.CreateDirectory(directory.Combine("work"));
        return new DeliveryWorkspace(directory, bare);
    }

    /// <summary>A copy of the sample delivery repository with some files replaced (null content deletes), made once per run and name.</summary>
    public static string Variant(string name, IReadOnlyDictionary<string, string?> edits)
    {
        var target = Path.Combine(SharedFolder("templates"), name);
        lock (Bare)
        {
            if (!System.IO.Directory.Exists(target))
            {
                var staging = target + ".tmp";
                DirectoryCopy.Copy(RepoPaths.InRepo("samples", "delivery-repo"), staging);
                foreach (var (file, content) in edits)
                {
                    var full = Path.Combine(staging, file);
                    if (content is null)
                    {
                        File.Delete(full);
                        continue;
                    }

                    System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                    File.WriteAllText(full, content);
                }

                System.IO.Directory.Move(staging, target);
            }
        }

        return target;
    }

    public DeliveryOptions Delivery => new()
    {
        DeliveryRepo = BarePath,
        Scm = global::Handoff.Delivery.Scm.ScmKind.Branch,
        WorkingDirectory = Directory.Combine("work"),
        TempDirectory = Directory.Combine("tmp"),
        Identity = new GitIdentity("Handoff Test", "handoff-test@localhost"),
        Clock = Clock,
    };

    public static Digest RandomDigest() => Digest.Sha256(RandomNumberGenerator.GetBytes(32));

    public static Release Release(Digest? digest = null, string tag = "1.0.0", string repository = "handoff/myapp") => new()
    {
        Image = new ReleaseImage { Registry = "registry.example.com", Repository = repository, Tag = tag, Digest = (digest ?? RandomDigest()).ToString() },
        Source = new ReleaseSource { Repository = "https://github.com/example-org/myapp", Commit = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), Branch = "main" },
        Build = new ReleaseBuild { CiSystem = "GitHub Actions", RunUrl = "https://github.com/example-org/myapp/actions/runs/42", RunId = "42" },
    };

    /// <summary>OpenPromotionPr into <paramref name="environment"/> (a request branch, not merged).</summary>
    public async Task<string> OpenAsync(Release release, string environment = "dev", string? app = null)
    {
        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = Delivery, Environment = environment, Release = release, App = app });
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened), result.Message);
        return result.Request.Branch!;
    }

    public async Task<string> PromoteAsync(string from, string to, string app = "myapp")
    {
        var result = await PromoteCommand.RunAsync(new PromoteOptions { Delivery = Delivery, App = app, From = from, To = to });
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened), result.Message);
        return result.Request.Branch!;
    }

    public async Task MergeAsync(string branch)
    {
        var merged = await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = Delivery, Branch = branch });
        Assert.That(merged.Outcome, Is.EqualTo(MergeOutcome.Merged), merged.Message);
    }

    /// <summary>Publishes a release to dev and promotes it through every environment, merging each request.</summary>
    public async Task ShipAsync(Release release, string app = "myapp", string until = "prod")
    {
        await MergeAsync(await OpenAsync(release, "dev", app));
        foreach (var (from, to) in new[] { ("dev", "staging"), ("staging", "prod") })
        {
            if (from == until)
            {
                break;
            }

            await MergeAsync(await PromoteAsync(from, to, app));
        }
    }

    /// <summary>A fresh clone checked out at <paramref name="branch"/>, as CI checks out a pull request (origin/main is there).</summary>
    public string Checkout(string branch = "main")
    {
        var path = Directory.Combine("checkouts", $"{Interlocked.Increment(ref _checkouts)}");
        Git(null, "clone", "--quiet", "--no-single-branch", "--branch", branch, BarePath, path);
        return path;
    }

    /// <summary>Commits file changes (null deletes) on <paramref name="branch"/>, created from <paramref name="from"/>, with trailers; returns the commit.</summary>
    public string Commit(string branch, IReadOnlyDictionary<string, string?> files, string message = "Edit by hand", IReadOnlyDictionary<string, string>? trailers = null, string from = "main", IReadOnlyDictionary<string, byte[]>? bytes = null)
    {
        using var work = new TempDirectory("handoff-edit");
        Git(null, "clone", "--quiet", "--no-single-branch", BarePath, work.Path);
        Git(work.Path, "checkout", "--quiet", "-B", branch, "origin/" + (Exists(work.Path, "origin/" + branch) ? branch : from));
        foreach (var (file, content) in files)
        {
            var full = Path.Combine(work.Path, file);
            if (content is null)
            {
                File.Delete(full);
            }
            else
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
        }

        foreach (var (file, content) in bytes ?? new Dictionary<string, byte[]>())
        {
            File.WriteAllBytes(Path.Combine(work.Path, file), content);
        }

        Git(work.Path, "add", "--all");
        var args = new List<string> { "commit", "--quiet", "-m", message };
        foreach (var (key, value) in trailers ?? new Dictionary<string, string>())
        {
            args.AddRange(["--trailer", $"{key}: {value}"]);
        }

        Git(work.Path, [.. args]);
        Git(work.Path, "push", "--quiet", "--force", "origin", $"HEAD:refs/heads/{branch}");
        return Git(work.Path, "rev-parse", "HEAD");
    }

    /// <summary>A file's text on a branch of the bare repository.</summary>
    public string Show(string branch, string path) => Git(null, "--git-dir", BarePath, "cat-file", "blob", $"{branch}:{path}");

    public async Task<ValidationRun> ValidateAsync(string checkout, string? @base = null, Func<ValidateDeliveryOptions, ValidateDeliveryOptions>? configure = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var options = new ValidateDeliveryOptions
        {
            RepositoryRoot = checkout,
            Base = @base,
            SchemaLocations = [RepoPaths.Shared("k8s-json-schema", "schemas")],
            Tooling = Tooling,
            RenderCacheDirectory = SharedFolder("render-cache"),
            ArtifactsDirectory = Path.Combine(checkout, "artifacts", "validation"),
            Clock = Clock,
            EnvironmentVariables = name => environment?.GetValueOrDefault(name),
        };
        options = configure?.Invoke(options) ?? options;
        using var console = new StringWriter();
        var result = await ValidateDeliveryCommand.RunAsync(options, console);
        TestContext.Out.WriteLine(console.ToString());
        return new ValidationRun(result, console.ToString(), checkout);
    }

    /// <summary>helm and kubectl from the Handoff repository's tools/bin (skipped, or failed under CI, when missing).</summary>
    public static CakeTooling Tooling
    {
        get
        {
            Tools.Require("helm", "tools/install-test-deps.sh puts helm into tools/bin");
            Tools.Require("kubectl", "tools/install-test-deps.sh puts kubectl into tools/bin");
            return CakeTooling.Standalone(RepoPaths.Root);
        }
    }

    public void Dispose() => Directory.Dispose();

    private static bool Exists(string repository, string reference) =>
        Exec.Run("git", ["-C", repository, "rev-parse", "--verify", "--quiet", reference]).Succeeded;

    public static string Git(string? directory, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "Person",
            ["GIT_AUTHOR_EMAIL"] = "person@example.com",
            ["GIT_COMMITTER_NAME"] = "Person",
            ["GIT_COMMITTER_EMAIL"] = "person@example.com",
        };
        var result = Exec.Run("git", directory is null ? args : ["-C", directory, .. args], new ExecOptions { Environment = env });
        result.EnsureSuccess("git in a test delivery repository");
        return result.StandardOutput.TrimEnd('\n');
    }
}

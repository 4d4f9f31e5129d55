using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Delivery.Tests.Support;

/// <summary>A failure the server answers with instead of handling a request, a given number of times.</summary>
public sealed record InjectedFault(string Method, string PathSuffix, int Status, string Message, int Times = 1, int? RetryAfterSeconds = null)
{
    /// <summary>A response body to send as is instead of GitHub's error object.</summary>
    public string? RawBody { get; init; }
}

/// <summary>A pull request held by the test server.</summary>
public sealed class TestPullRequest
{
    public int Number { get; init; }
    public required string Head { get; init; }
    public required string Base { get; init; }
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public string State { get; set; } = "open";
    public List<string> Labels { get; } = [];
    public List<string> Reviewers { get; } = [];
    public List<string> Teams { get; } = [];
}

/// <summary>
/// A GitHub REST API stand-in on 127.0.0.1 (random port) for the calls Handoff makes: repository,
/// pull requests (list, get, create, update), issue labels and requested reviewers. It speaks
/// GitHub's JSON shapes so the real Octokit talks to it over HTTP, sits on a real bare repository
/// (its clone_url), requires the token, checks that a PR's head branch exists, and can inject
/// 5xx, secondary rate limits with Retry-After, 401 and 422.
/// </summary>
public sealed class GitHubTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<InjectedFault> _faults = new();
    private readonly List<string> _calls = [];
    private readonly List<TestPullRequest> _pulls = [];

    private GitHubTestServer(WebApplication app, string owner, string name, string barePath, string token)
    {
        _app = app;
        Owner = owner;
        Name = name;
        BarePath = barePath;
        Token = token;
    }

    public string Owner { get; }
    public string Name { get; }
    public string BarePath { get; }
    public string Token { get; }
    public string BaseUrl { get; private set; } = "";

    /// <summary>What to configure as the API URL, GitHub Enterprise style.</summary>
    public string ApiUrl => BaseUrl + "api/v3/";

    /// <summary>"METHOD /path" of every request that reached the API (after the /api/v3 prefix).</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return _calls.ToList();
            }
        }
    }

    public IReadOnlyList<TestPullRequest> PullRequests
    {
        get
        {
            lock (_pulls)
            {
                return _pulls.ToList();
            }
        }
    }

    public void ClearCalls()
    {
        lock (_calls)
        {
            _calls.Clear();
        }
    }

    public void Inject(InjectedFault fault) => _faults.Enqueue(fault);

    public static async Task<GitHubTestServer> StartAsync(string owner, string name, string barePath, string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new GitHubTestServer(app, owner, name, barePath, token);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/";
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        while (path.StartsWith("/api/v3/", StringComparison.Ordinal))
        {
            path = path["/api/v3".Length..];
        }

        var method = context.Request.Method;
        lock (_calls)
        {
            _calls.Add($"{method} {path}");
        }

        if (!Authorized(context.Request))
        {
            await Error(context, 401, "Bad credentials");
            return;
        }

        if (TakeFault(method, path) is { } fault)
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (fault.RawBody is { } raw)
            {
                await Json(context, fault.Status, JsonNode.Parse(raw)!);
                return;
            }

            await Error(context, fault.Status, fault.Message);
            return;
        }

        var repoPrefix = $"/repos/{Owner}/{Name}";
        if (!path.StartsWith(repoPrefix, StringComparison.Ordinal))
        {
            await Error(context, 404, "Not Found");
            return;
        }

        var rest = path[repoPrefix.Length..].TrimEnd('/');
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (method, segments)
        {
            case ("GET", []):
                await Json(context, 200, RepositoryJson());
                return;
            case ("GET", ["pulls"]):
                await Json(context, 200, ListPulls(context.Request.Query));
                return;
            case ("POST", ["pulls"]):
                await CreatePull(context);
                return;
            case ("GET", ["pulls", var number]) when Find(number) is { } pr:
                await Json(context, 200, PullJson(pr));
                return;
            case ("PATCH", ["pulls", var number]) when Find(number) is { } pr:
                await UpdatePull(context, pr);
                return;
            case ("POST", ["issues", var number, "labels"]) when Find(number) is { } pr:
                await AddLabels(context, pr);
                return;
            case ("POST", ["pulls", var number, "requested_reviewers"]) when Find(number) is { } pr:
                await RequestReviewers(context, pr);
                return;
            default:
                await Error(context, 404, "Not Found");
                return;
        }
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ');
        if (space < 0)
        {
            return false;
        }

        var scheme = header[..space];
        var value = header[(space + 1)..].Trim();
        if (scheme.Equals("basic", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            value = decoded[(decoded.IndexOf(':') + 1)..];
        }

        return (scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("basic", StringComparison.OrdinalIgnoreCase))
               && value == Token;
    }

    private InjectedFault? TakeFault(string method, string path)
    {
        if (_faults.TryPeek(out var fault) && fault.Method == method && path.EndsWith(fault.PathSuffix, StringComparison.Ordinal))
        {
            _faults.TryDequeue(out _);
            if (fault.Times > 1)
            {
                // Keep the remaining repetitions at the front of the queue.
                var rest = _faults.ToList();
                _faults.Clear();
                _faults.Enqueue(fault with { Times = fault.Times - 1 });
                foreach (var other in rest)
                {
                    _faults.Enqueue(other);
                }
            }

            return fault;
        }

        return null;
    }

    private TestPullRequest? Find(string number)
    {
        lock (_pulls)
        {
            return int.TryParse(number, out var n) ? _pulls.FirstOrDefault(p => p.Number == n) : null;
        }
    }

    private JsonArray ListPulls(IQueryCollection query)
    {
        var state = query["state"].ToString() is { Length: > 0 } s ? s : "open";
        var head = query["head"].ToString();
        var baseRef = query["base"].ToString();
        lock (_pulls)
        {
            return new JsonArray(_pulls
                .Where(p => state == "all" || p.State == state)
                .Where(p => head.Length == 0 || $"{Owner}:{p.Head}" == head)
                .Where(p => baseRef.Length == 0 || p.Base == baseRef)
                .Select(p => (JsonNode)PullJson(p)).ToArray());
        }
    }

    private async Task CreatePull(HttpContext context)
    {
        var body = await ReadJson(context);
        var head = body?["head"]?.GetValue<string>() ?? "";
        var baseRef = body?["base"]?.GetValue<string>() ?? "";
        if (head.Contains(':', StringComparison.Ordinal))
        {
            head = head[(head.IndexOf(':') + 1)..];
        }

        if (!BranchExists(head))
        {
            await Validation(context, "PullRequest", "head", "invalid", $"head branch '{head}' does not exist");
            return;
        }

        if (!BranchExists(baseRef))
        {
            await Validation(context, "PullRequest", "base", "invalid", $"base branch '{baseRef}' does not exist");
            return;
        }

        TestPullRequest pr;
        lock (_pulls)
        {
            if (_pulls.Any(p => p.State == "open" && p.Head == head))
            {
                pr = null!;
            }
            else
            {
                pr = new TestPullRequest { Number = _pulls.Count + 1, Head = head, Base = baseRef, Title = body?["title"]?.GetValue<string>() ?? "", Body = body?["body"]?.GetValue<string>() ?? "" };
                _pulls.Add(pr);
            }
        }

        if (pr is null)
        {
            await Validation(context, "PullRequest", null, "custom", $"A pull request already exists for {Owner}:{head}.");
            return;
        }

        await Json(context, 201, PullJson(pr));
    }

    private async Task UpdatePull(HttpContext context, TestPullRequest pr)
    {
        var body = await ReadJson(context);
        if (body?["title"] is { } title)
        {
            pr.Title = title.GetValue<string>();
        }

        if (body?["body"] is { } text)
        {
            pr.Body = text.GetValue<string>();
        }

        if (body?["state"] is { } state)
        {
            pr.State = state.GetValue<string>();
        }

        await Json(context, 200, PullJson(pr));
    }

    private async Task AddLabels(HttpContext context, TestPullRequest pr)
    {
        var body = await ReadJson(context);
        var labels = body switch
        {
            JsonArray array => array,
            JsonObject o when o["labels"] is JsonArray array => array,
            _ => null,
        };
        if (labels is null)
        {
            await Validation(context, "Label", "labels", "missing_field", "labels must be a list");
            return;
        }

        foreach (var label in labels.Select(l => l!.GetValue<string>()).Where(l => !pr.Labels.Contains(l)))
        {
            pr.Labels.Add(label);
        }

        await Json(context, 200, new JsonArray(pr.Labels.Select(l => (JsonNode)LabelJson(l)).ToArray()));
    }

    private async Task RequestReviewers(HttpContext context, TestPullRequest pr)
    {
        var body = await ReadJson(context);
        foreach (var reviewer in (body?["reviewers"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).Where(r => !pr.Reviewers.Contains(r)))
        {
            pr.Reviewers.Add(reviewer);
        }

        foreach (var team in (body?["team_reviewers"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).Where(r => !pr.Teams.Contains(r)))
        {
            pr.Teams.Add(team);
        }

        await Json(context, 201, PullJson(pr));
    }

    private bool BranchExists(string branch) =>
        branch.Length > 0 && Exec.Run("git", ["--git-dir", BarePath, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch]).Succeeded;

    private string? BranchSha(string branch)
    {
        var result = Exec.Run("git", ["--git-dir", BarePath, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch]);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    private JsonObject RepositoryJson() => new()
    {
        ["id"] = 1296269,
        ["node_id"] = "R_1",
        ["name"] = Name,
        ["full_name"] = $"{Owner}/{Name}",
        ["owner"] = UserJson(Owner),
        ["private"] = false,
        ["html_url"] = $"{BaseUrl}{Owner}/{Name}",
        ["url"] = $"{ApiUrl}repos/{Owner}/{Name}",
        ["clone_url"] = new Uri(BarePath).AbsoluteUri,
        ["default_branch"] = "main",
        ["created_at"] = "2026-01-01T00:00:00Z",
        ["updated_at"] = "2026-01-01T00:00:00Z",
        ["pushed_at"] = "2026-01-01T00:00:00Z",
    };

    private JsonObject PullJson(TestPullRequest pr) => new()
    {
        ["id"] = 1000 + pr.Number,
        ["node_id"] = "PR_" + pr.Number,
        ["number"] = pr.Number,
        ["state"] = pr.State,
        ["title"] = pr.Title,
        ["body"] = pr.Body,
        ["html_url"] = $"{BaseUrl}{Owner}/{Name}/pull/{pr.Number}",
        ["url"] = $"{ApiUrl}repos/{Owner}/{Name}/pulls/{pr.Number}",
        ["user"] = UserJson("handoff-bot"),
        ["head"] = RefJson(pr.Head),
        ["base"] = RefJson(pr.Base),
        ["labels"] = new JsonArray(pr.Labels.Select(l => (JsonNode)LabelJson(l)).ToArray()),
        ["requested_reviewers"] = new JsonArray(pr.Reviewers.Select(r => (JsonNode)UserJson(r)).ToArray()),
        ["requested_teams"] = new JsonArray(pr.Teams.Select(t => (JsonNode)new JsonObject { ["id"] = t.Length, ["slug"] = t, ["name"] = t }).ToArray()),
        ["draft"] = false,
        ["merged"] = false,
        ["created_at"] = "2026-01-01T00:00:00Z",
        ["updated_at"] = "2026-01-01T00:00:00Z",
    };

    private JsonObject RefJson(string branch) => new()
    {
        ["label"] = $"{Owner}:{branch}",
        ["ref"] = branch,
        ["sha"] = BranchSha(branch) ?? new string('0', 40),
        ["user"] = UserJson(Owner),
        ["repo"] = RepositoryJson(),
    };

    private static JsonObject UserJson(string login) => new() { ["login"] = login, ["id"] = Math.Abs(login.GetHashCode(StringComparison.Ordinal)), ["type"] = "User" };

    private static JsonObject LabelJson(string name) => new() { ["id"] = Math.Abs(name.GetHashCode(StringComparison.Ordinal)), ["name"] = name, ["color"] = "ededed" };

    private static async Task<JsonNode?> ReadJson(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static Task Validation(HttpContext context, string resource, string? field, string code, string message) =>
        Json(context, 422, new JsonObject
        {
            ["message"] = "Validation Failed",
            ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["field"] = field, ["code"] = code, ["message"] = message }),
            ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
            ["status"] = "422",
        });

    private static Task Error(HttpContext context, int status, string message) =>
        Json(context, status, new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest", ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static async Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

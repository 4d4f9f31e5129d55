using System.Net;
using System.Net.Sockets;
using System.Text;
using Handoff.SupplyChain.Scanning;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Scanning;

public class NuGetAuditTests
{
    /// <summary>The documented shape of `dotnet list package --vulnerable --include-transitive --format json`.</summary>
    private static string Report(string source) => $$"""
        {
          "version": 1,
          "parameters": "--vulnerable --include-transitive",
          "sources": [ "{{source}}" ],
          "projects": [
            {
              "path": "/src/app/App.csproj",
              "frameworks": [
                {
                  "framework": "net10.0",
                  "topLevelPackages": [
                    { "id": "DotNetZip", "requestedVersion": "1.0.0", "resolvedVersion": "1.0.0",
                      "vulnerabilities": [ { "severity": "Moderate", "advisoryurl": "https://github.com/advisories/GHSA-7378-6268-4278" } ] }
                  ],
                  "transitivePackages": [
                    { "id": "Newtonsoft.Json", "resolvedVersion": "9.0.1",
                      "vulnerabilities": [ { "severity": "High", "advisoryurl": "https://github.com/advisories/GHSA-5crp-9r3c-p9vr" } ] }
                  ]
                },
                {
                  "framework": "net8.0",
                  "topLevelPackages": [],
                  "transitivePackages": [
                    { "id": "Newtonsoft.Json", "resolvedVersion": "9.0.1",
                      "vulnerabilities": [ { "severity": "High", "advisoryurl": "https://github.com/advisories/GHSA-5crp-9r3c-p9vr" } ] }
                  ]
                }
              ]
            }
          ]
        }
        """;

    [Test]
    public async Task A_local_folder_source_has_no_vulnerability_data_so_the_audit_did_not_scan()
    {
        using var dir = new TempDirectory();
        var feed = Directory.CreateDirectory(dir.Combine("feed")).FullName;
        var path = dir.Write("nuget.json", Report(feed).Replace("\\", "\\\\"));
        using var http = new HttpClient();

        var source = (await ScanReportReader.ReadAsync(path, new NuGetSourceProbe(http))).Single();

        Assert.That(source.Ran, Is.False);
        Assert.That(source.NotRunReason, Does.Contain($"no vulnerability data from source {feed}"));
        var verdict = ScanGate.Evaluate([source], ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));
        Assert.That(verdict.Outcome, Is.Not.EqualTo("passed"));
        Assert.That(ScanMarkdown.Render(verdict), Does.Contain("no vulnerability data from source"));
    }

    [Test]
    public async Task A_source_that_serves_vulnerability_data_makes_the_findings_count()
    {
        using var server = ServiceIndexServer.Start("""{ "version": "3.0.0", "resources": [ { "@id": "http://x/vuln/index.json", "@type": "VulnerabilityInfo/6.7.0" } ] }""");
        using var dir = new TempDirectory();
        var path = dir.Write("nuget.json", Report(server.Url));
        using var http = new HttpClient();

        var source = (await ScanReportReader.ReadAsync(path, new NuGetSourceProbe(http))).Single();
        var verdict = ScanGate.Evaluate([source], ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));

        Assert.That(source.Ran, Is.True);
        Assert.That(source.Findings, Has.Count.EqualTo(2), "the same advisory in two target frameworks is one finding");
        var high = source.Findings.Single(f => f.Id == "GHSA-5crp-9r3c-p9vr");
        Assert.That((high.Package, high.InstalledVersion, high.Severity, high.Fix), Is.EqualTo(("Newtonsoft.Json", "9.0.1", Severity.High, FixState.Unknown)));
        Assert.That(source.Findings.Single(f => f.Id == "GHSA-7378-6268-4278").Severity, Is.EqualTo(Severity.Medium), "NuGet's Moderate");
        Assert.That(verdict.Blocked, Is.True, "a HIGH whose fix NuGet does not name is treated as fixable");
        Assert.That(ScanMarkdown.Render(verdict), Does.Contain("Fix unknown"));
    }

    [Test]
    public async Task A_mirror_without_vulnerability_info_is_named()
    {
        using var server = ServiceIndexServer.Start("""{ "version": "3.0.0", "resources": [ { "@id": "http://x/flat/", "@type": "PackageBaseAddress/3.0.0" } ] }""");
        using var http = new HttpClient();

        var status = await new NuGetSourceProbe(http).ProbeAsync(server.Url);

        Assert.That(status.ProvidesVulnerabilityData, Is.False);
        Assert.That(status.Detail, Does.Contain("no VulnerabilityInfo").And.Contain("PackageBaseAddress/3.0.0"));
    }

    [Test]
    public void A_report_made_without_vulnerable_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("list.json", """{ "version": 1, "parameters": "--include-transitive", "projects": [] }""");

        Assert.That(() => ScanReportReader.ReadAsync(path, null),
            Throws.InstanceOf<InputFileException>().With.Message.Contains("without --vulnerable"));
    }

    [Test]
    public async Task Real_dotnet_list_package_on_a_vulnerable_project_never_reads_as_clean()
    {
        using var dir = new TempDirectory("nuget-audit");
        dir.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup>
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="9.0.1" /></ItemGroup>
            </Project>
            """);
        dir.Write("App/Class1.cs", "namespace App; public class C { }");
        var report = await NuGetAudit.RunAsync(dir.Combine("App", "App.csproj"), dir.Combine("nuget-vulnerable.json"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        var source = (await ScanReportReader.ReadAsync(report, new NuGetSourceProbe(http))).Single();

        // Newtonsoft.Json 9.0.1 has GHSA-5crp-9r3c-p9vr. Either the configured source serves
        // vulnerability data and the finding is there, or it does not and the audit says so.
        if (source.Ran)
        {
            Assert.That(source.Findings.Select(f => f.Id), Does.Contain("GHSA-5crp-9r3c-p9vr"));
        }
        else
        {
            Assert.That(source.NotRunReason, Does.Contain("no vulnerability data from source"));
        }
    }

    /// <summary>A NuGet v3 service index served on loopback: enough to probe for the VulnerabilityInfo resource.</summary>
    private sealed class ServiceIndexServer : IDisposable
    {
        private readonly HttpListener _listener;

        private ServiceIndexServer(HttpListener listener, string url)
        {
            _listener = listener;
            Url = url;
        }

        public string Url { get; }

        public static ServiceIndexServer Start(string body)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var prefix = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (Exception) when (!listener.IsListening)
                    {
                        return;
                    }

                    var bytes = Encoding.UTF8.GetBytes(body);
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
            return new ServiceIndexServer(listener, prefix + "v3/index.json");
        }

        public void Dispose() => _listener.Close();
    }
}

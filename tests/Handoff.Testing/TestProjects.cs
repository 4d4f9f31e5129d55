namespace Handoff.Testing;

/// <summary>
/// A throwaway NUnit test project for tests that run `dotnet test` on code they write. The package
/// versions are the ones Directory.Build.props gives this repository's tests, so restore needs
/// nothing the machine has not already fetched.
/// </summary>
public static class TestProjects
{
    public const string NUnitProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable><NoWarn>NU1603</NoWarn></PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
            <PackageReference Include="NUnit" Version="4.6.1" />
            <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
          </ItemGroup>
        </Project>
        """;
}

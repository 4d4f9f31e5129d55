#!/usr/bin/env pwsh
# Runs Handoff's build graph (Windows/PowerShell twin of build.sh). The build project is compiled
# once into tools/.build and reused while its sources (path, size, mtime fingerprint) are unchanged.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root 'tools/.build'
$env:HANDOFF_HOME = $root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Get-Fingerprint {
    $items = @('build', 'src') | ForEach-Object { Join-Path $root $_ } | Where-Object { Test-Path $_ } |
        ForEach-Object { Get-ChildItem -Path $_ -Recurse -File } |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    $items += @('Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'global.json', 'tools/dotnet-tools.json') |
        ForEach-Object { Join-Path $root $_ } | Where-Object { Test-Path $_ } | ForEach-Object { Get-Item $_ }
    $text = ($items | Sort-Object FullName | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n"
    $sha = [System.Security.Cryptography.SHA256]::Create()
    [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text)))
}

$current = Get-Fingerprint
$stamp = Join-Path $out '.fingerprint'
$dll = Join-Path $out 'Build.dll'
if (-not (Test-Path $dll) -or -not (Test-Path $stamp) -or (Get-Content $stamp -Raw).Trim() -ne $current) {
    New-Item -ItemType Directory -Force -Path $out | Out-Null
    # One compile at a time when several builds start together; the others wait for the lock.
    $lock = $null
    $deadline = (Get-Date).AddMinutes(10)
    while ($null -eq $lock) {
        try { $lock = [System.IO.File]::Open((Join-Path $out '.lock'), 'OpenOrCreate', 'ReadWrite', 'None') }
        catch [System.IO.IOException] {
            if ((Get-Date) -gt $deadline) { throw 'build.ps1: another build has held tools/.build/.lock for 10 minutes' }
            Start-Sleep -Milliseconds 200
        }
    }
    try {
        if (-not (Test-Path $dll) -or -not (Test-Path $stamp) -or (Get-Content $stamp -Raw).Trim() -ne $current) {
            Write-Host 'build.ps1: compiling the build project (once, until its sources change)...'
            if (Test-Path (Join-Path $root 'tools/dotnet-tools.json')) {
                dotnet tool restore --tool-manifest (Join-Path $root 'tools/dotnet-tools.json') | Out-Null
                if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
            }
            Remove-Item -Force -ErrorAction SilentlyContinue $stamp
            dotnet build (Join-Path $root 'build/Build.csproj') -c Release -o $out --nologo -v quiet -clp:ErrorsOnly
            if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
            Set-Content -Path $stamp -Value $current
        }
    }
    finally {
        $lock.Dispose()
    }
}
& dotnet $dll @args
exit $LASTEXITCODE

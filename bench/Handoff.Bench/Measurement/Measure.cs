using System.Diagnostics;
using System.Globalization;

namespace Handoff.Bench.Measurement;

/// <summary>Wall-clock samples of one piece of work: median, fastest and slowest run.</summary>
public sealed record Timing(string Name, IReadOnlyList<TimeSpan> Samples, long AllocatedBytesPerRun, double Gen0PerRun, double Gen2PerRun)
{
    public TimeSpan Median
    {
        get
        {
            var sorted = Samples.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public TimeSpan Min => Samples.Min();
    public TimeSpan Max => Samples.Max();

    public double PerSecond(int items) => items / Median.TotalSeconds;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"median {Median.TotalMilliseconds,9:F1} ms  (min {Min.TotalMilliseconds:F1}, max {Max.TotalMilliseconds:F1}, {Samples.Count} runs)");
}

/// <summary>
/// A small harness: warm-up runs (JIT, tiering, caches) that are discarded, then timed runs with a full
/// garbage collection before each, so one run's garbage is not billed to the next.
/// </summary>
public sealed class Measure(int warmups, int runs)
{
    public int Warmups { get; } = warmups;
    public int Runs { get; } = runs;

    public Timing Time(string name, Action work)
    {
        for (var i = 0; i < Warmups; i++)
        {
            work();
        }

        var samples = new List<TimeSpan>(Runs);
        long allocated = 0;
        int gen0 = 0, gen2 = 0;
        for (var i = 0; i < Runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var bytes = GC.GetTotalAllocatedBytes(precise: true);
            var (g0, g2) = (GC.CollectionCount(0), GC.CollectionCount(2));
            var watch = Stopwatch.StartNew();
            work();
            samples.Add(watch.Elapsed);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - bytes;
            gen0 += GC.CollectionCount(0) - g0;
            gen2 += GC.CollectionCount(2) - g2;
        }

        return new Timing(name, samples, allocated / Runs, (double)gen0 / Runs, (double)gen2 / Runs);
    }
}

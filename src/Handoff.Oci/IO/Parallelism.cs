using System.Runtime.ExceptionServices;

namespace Handoff.Oci;

internal static class Parallelism
{
    /// <summary>Runs <paramref name="body"/> for each item on all cores; the first failure is rethrown as itself, not wrapped in an AggregateException.</summary>
    public static void ForEach<T>(IReadOnlyList<T> items, Action<T> body)
    {
        if (items.Count <= 1)
        {
            foreach (var item in items)
            {
                body(item);
            }

            return;
        }

        try
        {
            Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, body);
        }
        catch (AggregateException ex)
        {
            var first = ex.Flatten().InnerExceptions.OrderBy(e => e is HandoffException ? 0 : 1).First();
            ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }
}

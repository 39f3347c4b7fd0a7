using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace IntegrationHub.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*'</c>; <c>-- pipeline</c> runs the
    /// end-to-end pipeline benchmark (through <c>infra/benchmark.sh</c>, which starts the broker); <c>-- cluster</c>
    /// runs the hub scaled out (through <c>infra/cluster.sh</c>). Every benchmark
    /// reports its ratio to a baseline measured in the same run.
    /// </summary>
    /// <remarks>
    /// The measured code is single-threaded, so it runs on one core at a time. It is not pinned:
    /// on this 2-vCPU machine, pinning to one core made the JIT and GC background threads share it
    /// with the benchmark, and results scattered 4x (measured 2026-11-22).
    /// </remarks>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "pipeline")
        {
            return await Pipeline.PipelineBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "cluster")
        {
            return await Cluster.ClusterCommand.RunAsync(args[1..]);
        }

        var config = DefaultConfig.Instance.AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(15).AsDefault());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}

using System;
using System.Runtime.InteropServices;
using System.Threading;
using MetricsGen;

namespace MetricsGen.Sample;

/// <summary>The Sample's default mode: serve /metrics while simulating gateway traffic.</summary>
public static class SampleServer
{
    public static int Run(SampleOptions options, GatewayMetrics metrics, GatewayRecorder recorder, AdversarialMetrics? adversarial, Ledger? ledger)
    {
        // Until the exporter lands the Sample prints the exposition once traffic ends.
        Console.Error.WriteLine("serving is not available in this build; use --once");
        return 2;
    }
}

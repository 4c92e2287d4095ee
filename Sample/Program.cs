using System;
using MetricsGen;
using MetricsGen.Sample;

var options = SampleOptions.Parse(args);
if (options.Error is not null)
{
    Console.Error.WriteLine(options.Error == "help" ? SampleOptions.Usage : options.Error + Environment.NewLine + SampleOptions.Usage);
    return options.Error == "help" ? 0 : 2;
}

var ledger = options.ExpectFile is null ? null : new Ledger();
var metrics = new GatewayMetrics();
var recorder = new GatewayRecorder(metrics, ledger: ledger);
recorder.SetBuild(version: "0.1.0", commit: "sample");
Traffic.EnableTracing();
AdversarialMetrics? adversarial = options.Adversarial ? new AdversarialMetrics() : null;

if (options.Once)
{
    Traffic.RecordFixedBatch(recorder, metrics);
    if (adversarial is not null)
    {
        AdversarialTraffic.Record(adversarial, recorder, ledger);
    }

    if (options.ExpectFile is not null)
    {
        ledger!.WriteJson(options.ExpectFile);
    }

    Console.Write(MetricRegistry.Default.GenerateLatest(options.Format));
    return 0;
}

return SampleServer.Run(options, metrics, recorder, adversarial, ledger);

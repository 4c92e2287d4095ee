using System;
using MetricsGen;
using MetricsGen.Sample;

// Usage: Sample [--once] [--format text|openmetrics]
var options = SampleOptions.Parse(args);
if (options.Error is not null)
{
    Console.Error.WriteLine(options.Error);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

var metrics = new GatewayMetrics();
var recorder = new GatewayRecorder(metrics);

Traffic.RecordFixedBatch(recorder, metrics);
Console.Write(MetricRegistry.Default.GenerateLatest(options.Format));
return 0;

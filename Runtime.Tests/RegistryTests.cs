using System;
using Xunit;

namespace MetricsGen.Runtime.Tests;

public class RegistryTests
{
    [Fact]
    public void DefaultRegistryExposesProcessResidentMemory()
    {
        string text = MetricRegistry.Default.GenerateLatest();
        Assert.Contains("\nprocess_resident_memory_bytes ", text);
        Assert.Contains("dotnet_info{", text);
    }
}

using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace MetricsGen.Generator;

/// <summary>A small indented text writer; the emitter writes code as text, never through SyntaxFactory.</summary>
/// <remarks>
/// Interpolated lines are written straight into the builder, and the builder is reused by the next class on the same
/// thread: per-line strings and builder growth were most of what a generator run allocated.
/// </remarks>
internal sealed class SourceWriter
{
    // Larger builders (a class of thousands of metrics) are left to the GC rather than kept for the thread's life.
    private const int MaxCachedCapacity = 512 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_cached;

    private StringBuilder _text;
    private int _indent;

    public SourceWriter()
    {
        _text = t_cached ?? new StringBuilder(16 * 1024);
        t_cached = null;
        _text.Clear();
    }

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
    }

    public void Line([InterpolatedStringHandlerArgument("")] ref LineHandler line) => _text.Append('\n');

    public void Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
    }

    public void Open([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        _text.Append('\n');
        Line("{");
        _indent++;
    }

    public void Close(string closing = "}")
    {
        _indent--;
        Line(closing);
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    /// <summary>The text written; the writer hands its builder back for reuse and must not be written to again.</summary>
    public override string ToString()
    {
        string text = _text.ToString();
        if (_text.Capacity <= MaxCachedCapacity)
        {
            t_cached = _text;
        }

        _text = null!;
        return text;
    }

    /// <summary>Appends an interpolated line, indented unless it comes out empty, without building its string first.</summary>
    [InterpolatedStringHandler]
    internal ref struct LineHandler
    {
        private readonly StringBuilder _text;
        private int _pendingIndent;

        public LineHandler(int literalLength, int formattedCount, SourceWriter writer)
        {
            _text = writer._text;
            _pendingIndent = writer._indent * 4;
        }

        public void AppendLiteral(string value) => Append(value);

        public void AppendFormatted(string? value) => Append(value);

        public void AppendFormatted(Literals.Literal literal)
        {
            WritePendingIndent();
            Literals.AppendQuoted(_text, literal.Value, literal.Suffix);
        }

        public void AppendFormatted(MetricsGenerator.Emitter.ParameterList list)
        {
            if (list.Count > 0)
            {
                WritePendingIndent();
                list.AppendTo(_text);
            }
        }

        public void AppendFormatted<T>(T value) =>
            Append(value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());

        private void Append(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            WritePendingIndent();
            _text.Append(value);
        }

        private void WritePendingIndent()
        {
            if (_pendingIndent > 0)
            {
                _text.Append(' ', _pendingIndent);
                _pendingIndent = 0;
            }
        }
    }
}

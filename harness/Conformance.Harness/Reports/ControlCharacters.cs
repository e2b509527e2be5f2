using System.Globalization;
using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>
/// Makes text from a client (its stderr, its frames) safe for a report: control characters other than tab and line
/// breaks, and what XML 1.0 cannot hold at all (a lone surrogate, U+FFFE, U+FFFF), are written as <c>\u001B</c>. A
/// client that colours its output with ANSI escapes then leaves readable text in JUnit XML, <c>report.md</c> and the
/// terminal, instead of an invalid document or escape sequences the reader's terminal would act on.
/// </summary>
public static class ControlCharacters
{
    /// <summary><paramref name="text"/> with every unsafe character written as <c>\uXXXX</c>; the same string when there are none.</summary>
    public static string Escape(string text)
    {
        var first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (IsUnsafe(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>C0 and C1 controls and DEL (but tab, LF and CR), surrogates standing alone, and the two XML non-characters.</summary>
    private static bool IsUnsafe(char c) =>
        (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF';
}

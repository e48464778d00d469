using System.Text;

namespace MarketAnalytics.Spark.Tests;

/// <summary>An independent protobuf wire-format reader (no generated code) to check field numbers and wire types.</summary>
internal sealed class WireMessage
{
    public List<(int Field, int WireType, ulong Varint, byte[] Bytes)> Fields { get; } = [];

    public static WireMessage Parse(byte[] data)
    {
        var m = new WireMessage();
        var pos = 0;
        while (pos < data.Length)
        {
            var tag = ReadVarint(data, ref pos);
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    m.Fields.Add((field, wire, ReadVarint(data, ref pos), []));
                    break;
                case 2:
                    var len = (int)ReadVarint(data, ref pos);
                    m.Fields.Add((field, wire, 0, data[pos..(pos + len)]));
                    pos += len;
                    break;
                default:
                    throw new InvalidDataException($"unexpected wire type {wire} for field {field}");
            }
        }
        return m;
    }

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }

    public IEnumerable<int> FieldNumbers => Fields.Select(f => f.Field);

    public WireMessage Message(int field) => Parse(Single(field, 2).Bytes);

    public string String(int field) => Encoding.UTF8.GetString(Single(field, 2).Bytes);

    public ulong Varint(int field) => Single(field, 0).Varint;

    public IReadOnlyList<WireMessage> Messages(int field) => Fields.Where(f => f.Field == field).Select(f => Parse(f.Bytes)).ToList();

    private (int Field, int WireType, ulong Varint, byte[] Bytes) Single(int field, int wire)
    {
        var matches = Fields.Where(f => f.Field == field).ToList();
        if (matches.Count != 1) throw new InvalidDataException($"field {field}: expected exactly one occurrence, found {matches.Count} (fields present: {string.Join(",", FieldNumbers)})");
        if (matches[0].WireType != wire) throw new InvalidDataException($"field {field}: wire type {matches[0].WireType}, expected {wire}");
        return matches[0];
    }
}

using Google.Protobuf;
using MarketAnalytics.Spark.Protocol;
using Xunit;

namespace MarketAnalytics.Spark.Tests;

/// <summary>The requests the client builds, serialised and decoded back with an independent wire reader, field by field
/// (field numbers as in Apache Spark's base.proto / relations.proto / commands.proto).</summary>
public sealed class ProtocolEncodingTests
{
    private static readonly SparkConnectClient Client = new(SparkConnectionString.Parse("sc://h/;user_id=alice;session_id=00112233-4455-6677-8899-aabbccddeeff"), new Grpc.Core.CallInvokerStub());

    [Fact]
    public void ExecutePlanWithSqlRelation()
    {
        var request = Client.BuildSqlQuery("SELECT 1", "01234567-89ab-cdef-0123-456789abcdef");
        var m = WireMessage.Parse(request.ToByteArray());
        Assert.Equal("00112233-4455-6677-8899-aabbccddeeff", m.String(1));             // session_id = 1
        var user = m.Message(2);                                                        // user_context = 2
        Assert.Equal("alice", user.String(1));                                          //   user_id = 1
        Assert.Equal("alice", user.String(2));                                          //   user_name = 2
        var plan = m.Message(3);                                                        // plan = 3
        var relation = plan.Message(1);                                                 //   root = 1
        var sql = relation.Message(10);                                                 //     sql = 10
        Assert.Equal("SELECT 1", sql.String(1));                                        //       query = 1
        Assert.Equal(SparkConnectClient.ClientTypeName, m.String(4));                   // client_type = 4
        Assert.Equal("01234567-89ab-cdef-0123-456789abcdef", m.String(6));             // operation_id = 6
        Assert.Equal([1, 2, 3, 4, 6], m.FieldNumbers.Order());
    }

    [Fact]
    public void ExecutePlanWithSqlCommand()
    {
        var m = WireMessage.Parse(Client.BuildSqlCommand("INSERT OVERWRITE DIRECTORY 'x' USING parquet SELECT 1", "op").ToByteArray());
        var command = m.Message(3).Message(2);                                          // plan.command = 2
        Assert.Equal("INSERT OVERWRITE DIRECTORY 'x' USING parquet SELECT 1", command.Message(5).String(1)); // sql_command = 5, sql = 1
    }

    [Fact]
    public void CreateViewFromLocalRelation()
    {
        var m = WireMessage.Parse(Client.BuildCreateView("v", ByteString.CopyFrom(1, 2, 3), "op").ToByteArray());
        var view = m.Message(3).Message(2).Message(3);                                  // command.create_dataframe_view = 3
        Assert.Equal([1, 2, 3], view.Message(1).Message(11).Fields.Single(f => f.Field == 1).Bytes); // input.local_relation = 11, data = 1
        Assert.Equal("v", view.String(2));                                              // name = 2
        Assert.Equal(1UL, view.Varint(4));                                              // replace = 4
    }

    [Fact]
    public void ConfigSetsTheSessionTimeZone()
    {
        var m = WireMessage.Parse(Client.BuildSetConfig([new("spark.sql.session.timeZone", "UTC")]).ToByteArray());
        Assert.Equal("00112233-4455-6677-8899-aabbccddeeff", m.String(1));
        var set = m.Message(3).Message(1);                                              // operation = 3, set = 1
        var pair = set.Messages(1).Single();                                            // pairs = 1
        Assert.Equal("spark.sql.session.timeZone", pair.String(1));                     // key = 1
        Assert.Equal("UTC", pair.String(2));                                            // value = 2
    }

    [Fact]
    public void InterruptByOperationId()
    {
        var m = WireMessage.Parse(Client.BuildInterrupt("op-1").ToByteArray());
        Assert.Equal(3UL, m.Varint(4));                                                 // interrupt_type = INTERRUPT_TYPE_OPERATION_ID (3)
        Assert.Equal("op-1", m.String(6));                                              // operation_id = 6
    }

    [Fact]
    public void ReleaseExecuteAll()
    {
        var m = WireMessage.Parse(Client.BuildReleaseAll("op-2").ToByteArray());
        Assert.Equal("op-2", m.String(3));                                              // operation_id = 3
        Assert.Empty(m.Message(5).Fields);                                              // release_all = 5 (empty message)
    }

    [Fact]
    public void ResponseFieldNumbersDecode()
    {
        // Hand-encoded ExecutePlanResponse: session_id (1), arrow_batch (2){row_count (1) = 7, data (2)}, operation_id (12), response_id (13).
        var raw = new List<byte>();
        void Tag(int field, int wire) => raw.Add((byte)((field << 3) | wire));
        void Bytes(int field, byte[] b) { Tag(field, 2); raw.Add((byte)b.Length); raw.AddRange(b); }
        Bytes(1, "s"u8.ToArray());
        Bytes(2, [0x08, 0x07, 0x12, 0x02, 0xAA, 0xBB]);
        raw.AddRange([0x62, 0x01, (byte)'o']);   // field 12, wire 2
        raw.AddRange([0x6A, 0x01, (byte)'r']);   // field 13, wire 2
        var response = ExecutePlanResponse.Parser.ParseFrom(raw.ToArray());
        Assert.Equal("s", response.SessionId);
        Assert.Equal(7, response.ArrowBatch.RowCount);
        Assert.Equal([0xAA, 0xBB], response.ArrowBatch.Data.ToByteArray());
        Assert.Equal("o", response.OperationId);
        Assert.Equal("r", response.ResponseId);
        var complete = ExecutePlanResponse.Parser.ParseFrom([0x72, 0x00]); // result_complete = 14, empty
        Assert.Equal(ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete, complete.ResponseTypeCase);
    }
}

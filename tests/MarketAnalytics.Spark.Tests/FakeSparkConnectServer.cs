using System.Collections.Concurrent;
using System.Net;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MarketAnalytics.Spark.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RpcStatus = MarketAnalytics.Spark.Protocol.Rpc.Status;
using ErrorInfo = MarketAnalytics.Spark.Protocol.Rpc.ErrorInfo;

namespace MarketAnalytics.Spark.Tests;

/// <summary>
/// An in-test Spark Connect server (ASP.NET Core gRPC, HTTP/2 on 127.0.0.1) speaking the real service: it records
/// requests, streams Arrow results in several chunks (each chunk a complete Arrow IPC stream), sends Spark-style
/// errors (google.rpc.Status with ErrorInfo in grpc-status-details-bin), blocks "slow" queries until interrupted.
/// </summary>
internal sealed class FakeSparkConnectServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeSparkConnectServer(WebApplication app, State state)
    {
        _app = app;
        Recorded = state;
    }

    public State Recorded { get; }

    public string Remote { get; private set; } = string.Empty;

    public static async Task<FakeSparkConnectServer> StartAsync(Func<string, IReadOnlyList<RecordBatch>>? results = null, int chunks = 3)
    {
        var state = new State { Results = results ?? (_ => []), Chunks = chunks };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<Service>();
        await app.StartAsync();
        var server = new FakeSparkConnectServer(app, state);
        var address = app.Urls.First();
        server.Remote = "sc://127.0.0.1:" + new Uri(address).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed class State
    {
        public Func<string, IReadOnlyList<RecordBatch>> Results { get; set; } = _ => [];
        public int Chunks { get; set; }
        public ConcurrentQueue<ExecutePlanRequest> Executed { get; } = new();
        public ConcurrentQueue<ConfigRequest> Configs { get; } = new();
        public ConcurrentQueue<InterruptRequest> Interrupts { get; } = new();
        public ConcurrentQueue<string> Authorization { get; } = new();
        public ConcurrentQueue<string> Trace { get; } = new();
        public ConcurrentDictionary<string, TaskCompletionSource> Running { get; } = new();
        public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Service(State state) : SparkConnectService.SparkConnectServiceBase
    {
        public override Task<ConfigResponse> Config(ConfigRequest request, ServerCallContext context)
        {
            state.Configs.Enqueue(request);
            var response = new ConfigResponse { SessionId = request.SessionId, ServerSideSessionId = "server-1" };
            response.Pairs.AddRange(request.Operation.Set?.Pairs ?? []);
            return Task.FromResult(response);
        }

        public override Task<AnalyzePlanResponse> AnalyzePlan(AnalyzePlanRequest request, ServerCallContext context) =>
            Task.FromResult(new AnalyzePlanResponse { SessionId = request.SessionId, SparkVersion = new AnalyzePlanResponse.Types.SparkVersion { Version = "4.0.0" } });

        public override Task<InterruptResponse> Interrupt(InterruptRequest request, ServerCallContext context)
        {
            state.Interrupts.Enqueue(request);
            var response = new InterruptResponse { SessionId = request.SessionId };
            if (state.Running.TryRemove(request.OperationId, out var running))
            {
                running.TrySetResult();
                response.InterruptedIds.Add(request.OperationId);
            }
            return Task.FromResult(response);
        }

        public override Task<ReleaseExecuteResponse> ReleaseExecute(ReleaseExecuteRequest request, ServerCallContext context) =>
            Task.FromResult(new ReleaseExecuteResponse { SessionId = request.SessionId, OperationId = request.OperationId });

        public override async Task ExecutePlan(ExecutePlanRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
        {
            state.Executed.Enqueue(request);
            state.Authorization.Enqueue(context.RequestHeaders.GetValue("authorization") ?? string.Empty);
            state.Trace.Enqueue(context.RequestHeaders.GetValue("x-trace") ?? string.Empty);
            var sql = request.Plan.OpTypeCase == Plan.OpTypeOneofCase.Root ? request.Plan.Root.Sql?.Query ?? string.Empty
                : request.Plan.Command.SqlCommand?.Sql ?? string.Empty;
            if (sql.Contains("missing_table", StringComparison.Ordinal)) throw SparkError("org.apache.spark.sql.AnalysisException",
                ["org.apache.spark.sql.AnalysisException", "java.lang.Exception", "java.lang.Throwable"], "TABLE_OR_VIEW_NOT_FOUND", "42P01",
                "{\"relationName\":\"`missing_table`\"}", "[TABLE_OR_VIEW_NOT_FOUND] The table or view `missing_table` cannot be found.");
            if (sql.Contains("SELEC ", StringComparison.Ordinal)) throw SparkError("org.apache.spark.sql.catalyst.parser.ParseException",
                ["org.apache.spark.sql.catalyst.parser.ParseException", "org.apache.spark.sql.AnalysisException"], "PARSE_SYNTAX_ERROR", "42601",
                "{\"error\":\"'SELEC'\",\"hint\":\"\"}", "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.");
            if (sql.Contains("slow_query", StringComparison.Ordinal))
            {
                var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                state.Running[request.OperationId] = interrupted;
                state.SlowStarted.TrySetResult();
                try
                {
                    await interrupted.Task.WaitAsync(TimeSpan.FromSeconds(30), context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // client went away; the test checks that an Interrupt still arrives
                    await interrupted.Task.WaitAsync(TimeSpan.FromSeconds(30));
                }
                throw SparkError("org.apache.spark.SparkException", ["org.apache.spark.SparkException"], "OPERATION_CANCELED", "HY008", "{}", "Operation was canceled by the user.");
            }
            var batches = request.Plan.OpTypeCase == Plan.OpTypeOneofCase.Root ? state.Results(sql) : [];
            var rows = batches.Sum(b => b.Length);
            foreach (var chunk in Chunk(batches, state.Chunks))
            {
                await responseStream.WriteAsync(new ExecutePlanResponse
                {
                    SessionId = request.SessionId,
                    OperationId = request.OperationId,
                    ResponseId = Guid.NewGuid().ToString(),
                    ArrowBatch = new ExecutePlanResponse.Types.ArrowBatch { RowCount = chunk.Sum(b => b.Length), Data = ByteString.CopyFrom(Ipc(chunk)) },
                });
            }
            if (rows == 0 && request.Plan.OpTypeCase == Plan.OpTypeOneofCase.Root && batches.Count > 0)
            {
                // "at least one ARROW batch" even for empty results: already sent above through Chunk.
            }
            await responseStream.WriteAsync(new ExecutePlanResponse
            {
                SessionId = request.SessionId,
                OperationId = request.OperationId,
                ResponseId = Guid.NewGuid().ToString(),
                ResultComplete = new ExecutePlanResponse.Types.ResultComplete(),
            });
        }

        private static IEnumerable<List<RecordBatch>> Chunk(IReadOnlyList<RecordBatch> batches, int chunks)
        {
            if (batches.Count == 0) yield break;
            // Re-slice all rows into `chunks` pieces so the client has to stitch several Arrow streams together.
            var all = batches.SelectMany(b => Enumerable.Range(0, (int)Math.Ceiling(b.Length / (double)Math.Max(1, b.Length / chunks + 1)))
                .Select(i => b.Slice(i * (b.Length / chunks + 1), Math.Min(b.Length / chunks + 1, b.Length - i * (b.Length / chunks + 1))))).ToList();
            foreach (var piece in all) yield return [piece];
        }

        private static byte[] Ipc(IReadOnlyList<RecordBatch> batches)
        {
            using var ms = new MemoryStream();
            using (var writer = new ArrowStreamWriter(ms, batches[0].Schema, leaveOpen: true))
            {
                foreach (var b in batches) writer.WriteRecordBatch(b);
                writer.WriteEnd();
            }
            return ms.ToArray();
        }

        private static RpcException SparkError(string reason, string[] classes, string errorClass, string sqlState, string parameters, string message)
        {
            var info = new ErrorInfo { Reason = reason, Domain = "org.apache.spark" };
            info.Metadata["classes"] = System.Text.Json.JsonSerializer.Serialize(classes);
            info.Metadata["errorClass"] = errorClass;
            info.Metadata["sqlState"] = sqlState;
            info.Metadata["messageParameters"] = parameters;
            var status = new RpcStatus { Code = (int)StatusCode.Internal, Message = message };
            status.Details.Add(Any.Pack(info));
            var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
            return new RpcException(new Grpc.Core.Status(StatusCode.Internal, message), trailers);
        }
    }
}

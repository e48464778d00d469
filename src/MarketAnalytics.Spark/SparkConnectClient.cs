using Apache.Arrow;
using Apache.Arrow.Ipc;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using MarketAnalytics.Spark.Protocol;

namespace MarketAnalytics.Spark;

/// <summary>The rows a Spark Connect query returned, as Arrow record batches in server order.</summary>
internal sealed class SparkQueryResult(string operationId, IReadOnlyList<RecordBatch> batches, bool complete) : IDisposable
{
    public string OperationId { get; } = operationId;
    public IReadOnlyList<RecordBatch> Batches { get; } = batches;
    public bool ResultComplete { get; } = complete;
    public long RowCount => Batches.Sum(b => (long)b.Length);

    public void Dispose()
    {
        foreach (var b in Batches) b.Dispose();
    }
}

/// <summary>A minimal Spark Connect client: one session per instance, SQL plans, Arrow results, config, interrupt.</summary>
internal sealed class SparkConnectClient : IDisposable
{
    public const string ClientTypeName = "marketanalytics-dotnet/0.1";

    private readonly GrpcChannel? _channel;
    private readonly SparkConnectService.SparkConnectServiceClient _client;
    private readonly Metadata _headers = [];

    public SparkConnectClient(SparkConnectionString connection, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        SessionId = (connection.SessionId ?? Guid.NewGuid()).ToString("D");
        UserContext = new UserContext { UserId = connection.UserId ?? Environment.UserName, UserName = connection.UserId ?? Environment.UserName };
        ClientType = connection.UserAgent ?? ClientTypeName;
        if (connection.Token is not null) _headers.Add("authorization", "Bearer " + connection.Token);
        foreach (var (key, value) in connection.Headers) _headers.Add(key, value);
        _channel = GrpcChannel.ForAddress(connection.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 256 * 1024 * 1024,
            MaxSendMessageSize = 256 * 1024 * 1024,
        });
        _client = new SparkConnectService.SparkConnectServiceClient(_channel);
    }

    /// <summary>For tests: a client over an existing call invoker.</summary>
    internal SparkConnectClient(SparkConnectionString connection, CallInvoker invoker)
    {
        Connection = connection;
        SessionId = (connection.SessionId ?? Guid.NewGuid()).ToString("D");
        UserContext = new UserContext { UserId = connection.UserId ?? "test", UserName = connection.UserId ?? "test" };
        ClientType = connection.UserAgent ?? ClientTypeName;
        _client = new SparkConnectService.SparkConnectServiceClient(invoker);
    }

    public SparkConnectionString Connection { get; }

    /// <summary>The session id (a UUID chosen by the client, one per client instance).</summary>
    public string SessionId { get; }

    public UserContext UserContext { get; }

    public string ClientType { get; }

    // ---------------------------------------------------------------- request builders (tested field by field)

    public ExecutePlanRequest BuildSqlQuery(string sql, string operationId) => new()
    {
        SessionId = SessionId,
        UserContext = UserContext.Clone(),
        OperationId = operationId,
        ClientType = ClientType,
        Plan = new Plan { Root = new Relation { Sql = new SQL { Query = sql } } },
    };

    public ExecutePlanRequest BuildSqlCommand(string sql, string operationId) => new()
    {
        SessionId = SessionId,
        UserContext = UserContext.Clone(),
        OperationId = operationId,
        ClientType = ClientType,
        Plan = new Plan { Command = new Command { SqlCommand = new SqlCommand { Sql = sql } } },
    };

    public ExecutePlanRequest BuildCreateView(string view, ByteString arrowIpc, string operationId) => new()
    {
        SessionId = SessionId,
        UserContext = UserContext.Clone(),
        OperationId = operationId,
        ClientType = ClientType,
        Plan = new Plan
        {
            Command = new Command
            {
                CreateDataframeView = new CreateDataFrameViewCommand
                {
                    Input = new Relation { LocalRelation = new LocalRelation { Data = arrowIpc } },
                    Name = view,
                    IsGlobal = false,
                    Replace = true,
                },
            },
        },
    };

    public ConfigRequest BuildSetConfig(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var set = new ConfigRequest.Types.Set();
        foreach (var (k, v) in pairs) set.Pairs.Add(new KeyValue { Key = k, Value = v });
        return new ConfigRequest
        {
            SessionId = SessionId,
            UserContext = UserContext.Clone(),
            ClientType = ClientType,
            Operation = new ConfigRequest.Types.Operation { Set = set },
        };
    }

    public InterruptRequest BuildInterrupt(string operationId) => new()
    {
        SessionId = SessionId,
        UserContext = UserContext.Clone(),
        ClientType = ClientType,
        InterruptType = InterruptRequest.Types.InterruptType.OperationId,
        OperationId = operationId,
    };

    public ReleaseExecuteRequest BuildReleaseAll(string operationId) => new()
    {
        SessionId = SessionId,
        UserContext = UserContext.Clone(),
        ClientType = ClientType,
        OperationId = operationId,
        ReleaseAll = new ReleaseExecuteRequest.Types.ReleaseAll(),
    };

    // ---------------------------------------------------------------- calls

    private CallOptions Options(CancellationToken cancellationToken) => new(_headers, cancellationToken: cancellationToken);

    public async Task SetConfigAsync(IEnumerable<KeyValuePair<string, string>> pairs, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.ConfigAsync(BuildSetConfig(pairs), Options(cancellationToken)).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw SparkConnectException.FromRpc(e);
        }
    }

    public async Task<string> SparkVersionAsync(CancellationToken cancellationToken = default)
    {
        var request = new AnalyzePlanRequest
        {
            SessionId = SessionId,
            UserContext = UserContext.Clone(),
            ClientType = ClientType,
            SparkVersion = new AnalyzePlanRequest.Types.SparkVersion(),
        };
        try
        {
            var response = await _client.AnalyzePlanAsync(request, Options(cancellationToken)).ResponseAsync.ConfigureAwait(false);
            return response.SparkVersion?.Version ?? string.Empty;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw SparkConnectException.FromRpc(e);
        }
    }

    public async Task<IReadOnlyList<string>> InterruptAsync(string operationId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _client.InterruptAsync(BuildInterrupt(operationId), Options(cancellationToken)).ResponseAsync.ConfigureAwait(false);
            return response.InterruptedIds;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw SparkConnectException.FromRpc(e);
        }
    }

    /// <summary>Runs a SQL query (<c>Plan.root = Relation.sql</c>) and collects the Arrow batches.</summary>
    public Task<SparkQueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        var operationId = Guid.NewGuid().ToString("D");
        return ExecuteAsync(BuildSqlQuery(sql, operationId), cancellationToken);
    }

    /// <summary>Runs a SQL command eagerly (<c>Plan.command = SqlCommand</c>), e.g. INSERT OVERWRITE DIRECTORY.</summary>
    public async Task CommandAsync(string sql, CancellationToken cancellationToken = default)
    {
        var operationId = Guid.NewGuid().ToString("D");
        using var _ = await ExecuteAsync(BuildSqlCommand(sql, operationId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads an Arrow IPC stream as a temporary view.</summary>
    public async Task CreateTempViewAsync(string view, ReadOnlyMemory<byte> arrowIpc, CancellationToken cancellationToken = default)
    {
        var operationId = Guid.NewGuid().ToString("D");
        using var _ = await ExecuteAsync(BuildCreateView(view, ByteString.CopyFrom(arrowIpc.Span), operationId), cancellationToken).ConfigureAwait(false);
    }

    private async Task<SparkQueryResult> ExecuteAsync(ExecutePlanRequest request, CancellationToken cancellationToken)
    {
        var batches = new List<RecordBatch>();
        var complete = false;
        try
        {
            using var call = _client.ExecutePlan(request, Options(cancellationToken));
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                switch (response.ResponseTypeCase)
                {
                    case ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch:
                        DecodeArrow(response.ArrowBatch, batches);
                        break;
                    case ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete:
                        complete = true;
                        break;
                }
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is RpcException or OperationCanceledException)
        {
            Dispose(batches);
            await InterruptQuietlyAsync(request.OperationId).ConfigureAwait(false);
            throw new OperationCanceledException($"Spark operation {request.OperationId} was cancelled and interrupted on the server.", e, cancellationToken);
        }
        catch (RpcException e)
        {
            Dispose(batches);
            throw SparkConnectException.FromRpc(e);
        }
        catch
        {
            Dispose(batches);
            throw;
        }
        return new SparkQueryResult(request.OperationId, batches, complete);
    }

    private async Task InterruptQuietlyAsync(string operationId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _client.InterruptAsync(BuildInterrupt(operationId), Options(timeout.Token)).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The server may already have finished or dropped the operation.
        }
    }

    /// <summary>Decodes one <c>ArrowBatch.data</c> (a complete Arrow IPC stream) and checks <c>row_count</c>.</summary>
    internal static void DecodeArrow(ExecutePlanResponse.Types.ArrowBatch batch, List<RecordBatch> into)
    {
        using var stream = new MemoryStream(batch.Data.ToByteArray(), writable: false);
        using var reader = new ArrowStreamReader(stream);
        long rows = 0;
        while (reader.ReadNextRecordBatch() is { } rb)
        {
            rows += rb.Length;
            into.Add(rb);
        }
        if (rows != batch.RowCount)
            throw new MalformedDataException("spark-connect arrow_batch", 0, $"row_count says {batch.RowCount} rows but the Arrow stream holds {rows}");
    }

    private static void Dispose(List<RecordBatch> batches)
    {
        foreach (var b in batches) b.Dispose();
        batches.Clear();
    }

    public void Dispose() => _channel?.Dispose();
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace MarketAnalytics.Mongo.Tests.Wire;

/// <summary>
/// A small in-memory MongoDB server on 127.0.0.1 speaking the real wire protocol (OP_QUERY handshake, OP_MSG with
/// document sequences) so the real driver can be exercised end to end without a MongoDB installation.
/// </summary>
/// <remarks>
/// It implements the commands the store uses with MongoDB 7.0 semantics, including the time-series limits that
/// matter here: no unique indexes and no upserts on time-series collections, <c>timeField</c> required on insert,
/// <c>create</c> failing with NamespaceExists (48), duplicate keys reported per document as write errors (11000),
/// index name/spec conflicts (85/86). Query support: equality on dotted paths, <c>$eq $ne $gt $gte $lt $lte $in $nin</c>,
/// sort, inclusion projection, <c>$set</c> updates, replacements, and the <c>$match</c>/<c>$group</c> count pipeline.
/// It is a test double of MongoDB, not of our code; anything it does not implement fails loudly.
/// </remarks>
internal sealed class MiniMongoServer : IAsyncDisposable
{
    private const int OpReply = 1, OpQuery = 2004, OpMsg = 2013;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly object _gate = new();
    private readonly Dictionary<string, Coll> _collections = new(StringComparer.Ordinal); // key: db.coll
    private readonly Dictionary<long, (Queue<BsonDocument> Docs, string Ns)> _cursors = [];
    private readonly List<Task> _connections = [];
    private long _nextCursor = 1000;
    private int _connectionId;
    private int _requestId;

    public MiniMongoServer()
    {
        _listener.Start();
        _acceptLoop = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ConnectionString => $"mongodb://127.0.0.1:{Port}/?directConnection=true&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000";

    /// <summary>Every command received (name and body), for assertions on what the driver sent.</summary>
    public List<BsonDocument> Commands { get; } = [];

    private sealed class Coll
    {
        public required string Name;
        public BsonDocument? TimeSeries;
        public List<BsonDocument> Docs = [];
        public List<BsonDocument> Indexes = [];
        /// <summary>Unique indexes (and _id_ on regular collections): index name -> key -> document.</summary>
        public Dictionary<string, Dictionary<string, BsonDocument>> Unique = new(StringComparer.Ordinal);

        public IEnumerable<(string Name, BsonDocument Pattern)> UniquePatterns() =>
            Indexes.Where(i => Unique.ContainsKey(i["name"].AsString)).Select(i => (i["name"].AsString, i["key"].AsBsonDocument));

        public void AddKeys(BsonDocument d)
        {
            foreach (var (name, pattern) in UniquePatterns()) Unique[name][KeyOf(d, pattern)] = d;
        }

        public void RemoveKeys(BsonDocument d)
        {
            foreach (var (name, pattern) in UniquePatterns()) Unique[name].Remove(KeyOf(d, pattern));
        }
    }

    private async Task AcceptLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections) _connections.Add(Serve(client));
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    private async Task Serve(TcpClient client)
    {
        var id = Interlocked.Increment(ref _connectionId);
        using var _ = client;
        var stream = client.GetStream();
        var header = new byte[16];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(header, _stop.Token);
                var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                var requestId = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
                var opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
                var body = new byte[length - 16];
                await stream.ReadExactlyAsync(body, _stop.Token);
                byte[]? reply = opCode switch
                {
                    OpQuery => HandleQuery(body, requestId, id),
                    OpMsg => HandleMsg(body, requestId, id),
                    _ => throw new InvalidOperationException($"MiniMongoServer: unsupported opcode {opCode}"),
                };
                if (reply is not null) await stream.WriteAsync(reply, _stop.Token);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    private byte[] HandleQuery(byte[] body, int requestId, int connectionId)
    {
        // flags, fullCollectionName, numberToSkip, numberToReturn, query
        var p = 4;
        var nameEnd = Array.IndexOf(body, (byte)0, p);
        p = nameEnd + 1 + 8;
        var query = ReadDocument(body, ref p);
        if (query.Contains("$query")) query = query["$query"].AsBsonDocument;
        var result = Execute(query, "admin", connectionId);
        var doc = result.ToBson();
        var reply = new byte[16 + 20 + doc.Length];
        WriteHeader(reply, requestId, OpReply);
        BinaryPrimitives.WriteInt32LittleEndian(reply.AsSpan(16), 0); // responseFlags
        BinaryPrimitives.WriteInt64LittleEndian(reply.AsSpan(20), 0); // cursorID
        BinaryPrimitives.WriteInt32LittleEndian(reply.AsSpan(28), 0); // startingFrom
        BinaryPrimitives.WriteInt32LittleEndian(reply.AsSpan(32), 1); // numberReturned
        doc.CopyTo(reply, 36);
        return reply;
    }

    private byte[]? HandleMsg(byte[] body, int requestId, int connectionId)
    {
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(body);
        var end = body.Length - ((flags & 1) != 0 ? 4 : 0);
        var p = 4;
        BsonDocument? command = null;
        var sequences = new Dictionary<string, BsonArray>();
        while (p < end)
        {
            var kind = body[p++];
            if (kind == 0)
            {
                command = ReadDocument(body, ref p);
            }
            else if (kind == 1)
            {
                var sectionEnd = p + BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(p));
                p += 4;
                var nameEnd = Array.IndexOf(body, (byte)0, p);
                var identifier = System.Text.Encoding.UTF8.GetString(body, p, nameEnd - p);
                p = nameEnd + 1;
                var docs = new BsonArray();
                while (p < sectionEnd) docs.Add(ReadDocument(body, ref p));
                sequences[identifier] = docs;
            }
            else
            {
                throw new InvalidOperationException($"MiniMongoServer: unsupported OP_MSG section kind {kind}");
            }
        }
        if (command is null) throw new InvalidOperationException("MiniMongoServer: OP_MSG without a body section");
        foreach (var (name, docs) in sequences) command[name] = docs;
        var db = command.GetValue("$db", "admin").AsString;
        var result = Execute(command, db, connectionId);
        if ((flags & 2) != 0) return null; // moreToCome: no reply
        var doc = result.ToBson();
        var reply = new byte[16 + 5 + doc.Length];
        WriteHeader(reply, requestId, OpMsg);
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(16), 0);
        reply[20] = 0;
        doc.CopyTo(reply, 21);
        return reply;
    }

    private void WriteHeader(byte[] message, int responseTo, int opCode)
    {
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), Interlocked.Increment(ref _requestId));
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
    }

    private static BsonDocument ReadDocument(byte[] bytes, ref int p)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(p));
        var doc = BsonSerializer.Deserialize<BsonDocument>(bytes.AsSpan(p, length).ToArray());
        p += length;
        return doc;
    }

    private static BsonDocument Error(int code, string codeName, string message) =>
        new() { { "ok", 0.0 }, { "errmsg", message }, { "code", code }, { "codeName", codeName } };

    private BsonDocument Execute(BsonDocument command, string db, int connectionId)
    {
        var name = command.GetElement(0).Name;
        lock (_gate)
        {
            if (name is not ("hello" or "isMaster" or "ismaster")) Commands.Add(command);
            try
            {
                return name switch
                {
                    "hello" or "isMaster" or "ismaster" => new BsonDocument
                    {
                        { "helloOk", true }, { "isWritablePrimary", true }, { "ismaster", true },
                        { "maxBsonObjectSize", 16 * 1024 * 1024 }, { "maxMessageSizeBytes", 48_000_000 }, { "maxWriteBatchSize", 100_000 },
                        { "localTime", new BsonDateTime(DateTime.UtcNow) }, { "logicalSessionTimeoutMinutes", 30 }, { "connectionId", connectionId },
                        { "minWireVersion", 0 }, { "maxWireVersion", 21 }, { "readOnly", false }, { "ok", 1.0 },
                    },
                    "ping" or "endSessions" => new BsonDocument("ok", 1.0),
                    "buildInfo" or "buildinfo" => new BsonDocument { { "version", "7.0.0-mini" }, { "versionArray", new BsonArray { 7, 0, 0, 0 } }, { "ok", 1.0 } },
                    "listCollections" => ListCollections(db, command),
                    "create" => Create(db, command),
                    "createIndexes" => CreateIndexes(db, command),
                    "listIndexes" => ListIndexes(db, command),
                    "insert" => Insert(db, command),
                    "update" => Update(db, command),
                    "delete" => Delete(db, command),
                    "find" => Find(db, command),
                    "getMore" => GetMore(command),
                    "killCursors" => KillCursors(command),
                    "aggregate" => Aggregate(db, command),
                    "drop" => Drop(db, command),
                    "dropDatabase" => DropDatabase(db),
                    _ => Error(59, "CommandNotFound", $"no such command: '{name}'"),
                };
            }
            catch (ServerError e)
            {
                return Error(e.Code, e.CodeName, e.Message);
            }
        }
    }

    private sealed class ServerError(int code, string codeName, string message) : Exception(message)
    {
        public int Code { get; } = code;
        public string CodeName { get; } = codeName;
    }

    // ---------------------------------------------------------------- collections and indexes

    private Coll? Get(string db, string coll) => _collections.GetValueOrDefault(db + "." + coll);

    private Coll GetOrCreate(string db, string coll)
    {
        if (Get(db, coll) is { } c) return c;
        c = new Coll { Name = coll };
        c.Indexes.Add(new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } });
        c.Unique["_id_"] = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        _collections[db + "." + coll] = c;
        return c;
    }

    private BsonDocument Create(string db, BsonDocument command)
    {
        var name = command["create"].AsString;
        if (Get(db, name) is not null) throw new ServerError(48, "NamespaceExists", $"Collection {db}.{name} already exists.");
        var c = new Coll { Name = name };
        if (command.TryGetValue("timeseries", out var ts))
        {
            var t = ts.AsBsonDocument;
            if (!t.Contains("timeField")) throw new ServerError(40414, "Location40414", "BSON field 'timeseries.timeField' is missing but a required field");
            if (t.Contains("granularity") && t.Contains("bucketMaxSpanSeconds"))
                throw new ServerError(72, "InvalidOptions", "Time-series 'bucketMaxSpanSeconds' cannot be set when 'granularity' is set");
            if (t.Contains("bucketMaxSpanSeconds") != t.Contains("bucketRoundingSeconds") ||
                (t.Contains("bucketMaxSpanSeconds") && t["bucketMaxSpanSeconds"] != t["bucketRoundingSeconds"]))
                throw new ServerError(72, "InvalidOptions", "Time-series 'bucketMaxSpanSeconds' and 'bucketRoundingSeconds' must be set together and be equal");
            c.TimeSeries = t;
            if (t.Contains("metaField"))
            {
                var key = new BsonDocument { { t["metaField"].AsString, 1 }, { t["timeField"].AsString, 1 } };
                c.Indexes.Add(new BsonDocument { { "v", 2 }, { "key", key }, { "name", $"{t["metaField"]}_1_{t["timeField"]}_1" } });
            }
        }
        else
        {
            c.Indexes.Add(new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } });
            c.Unique["_id_"] = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        }
        _collections[db + "." + name] = c;
        return new BsonDocument("ok", 1.0);
    }

    private BsonDocument ListCollections(string db, BsonDocument command)
    {
        var filter = command.GetValue("filter", new BsonDocument()).AsBsonDocument;
        var batch = new BsonArray();
        foreach (var (key, c) in _collections.Where(kv => kv.Key.StartsWith(db + ".", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var options = c.TimeSeries is null ? new BsonDocument() : new BsonDocument("timeseries", c.TimeSeries.DeepClone());
            var d = new BsonDocument { { "name", c.Name }, { "type", c.TimeSeries is null ? "collection" : "timeseries" }, { "options", options }, { "info", new BsonDocument("readOnly", false) } };
            if (Matches(d, filter)) batch.Add(d);
        }
        return CursorReply(db + ".$cmd.listCollections", batch, 0, "firstBatch");
    }

    private BsonDocument CreateIndexes(string db, BsonDocument command)
    {
        var c = GetOrCreate(db, command["createIndexes"].AsString);
        var before = c.Indexes.Count;
        foreach (var spec in command["indexes"].AsBsonArray.Select(i => i.AsBsonDocument))
        {
            var unique = spec.GetValue("unique", false).ToBoolean();
            if (unique && c.TimeSeries is not null)
                throw new ServerError(72, "InvalidOptions", "Unique indexes are not supported on time-series collections");
            var sameName = c.Indexes.FirstOrDefault(i => i["name"] == spec["name"]);
            var sameKey = c.Indexes.FirstOrDefault(i => i["key"].Equals(spec["key"]));
            if (sameName is not null && !sameName["key"].Equals(spec["key"]))
                throw new ServerError(86, "IndexKeySpecsConflict", $"An existing index has the same name as the requested index but different keys: {spec["name"]}");
            if (sameKey is not null && sameKey["name"] != spec["name"])
                throw new ServerError(85, "IndexOptionsConflict", $"Index already exists with a different name: {sameKey["name"]}");
            if (sameName is not null && sameName.GetValue("unique", false).ToBoolean() != unique)
                throw new ServerError(86, "IndexKeySpecsConflict", $"An existing index has the same name as the requested index but different options: {spec["name"]}");
            if (sameName is not null) continue;
            var index = new BsonDocument { { "v", 2 }, { "key", spec["key"] }, { "name", spec["name"] } };
            if (unique)
            {
                var keys = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
                foreach (var d in c.Docs)
                {
                    if (!keys.TryAdd(KeyOf(d, spec["key"].AsBsonDocument), d))
                        throw new ServerError(11000, "DuplicateKey", $"E11000 duplicate key error collection: {db}.{c.Name} index: {spec["name"]}");
                }
                index["unique"] = true;
                c.Unique[spec["name"].AsString] = keys;
            }
            c.Indexes.Add(index);
        }
        return new BsonDocument { { "numIndexesBefore", before }, { "numIndexesAfter", c.Indexes.Count }, { "ok", 1.0 } };
    }

    private BsonDocument ListIndexes(string db, BsonDocument command)
    {
        var name = command["listIndexes"].AsString;
        var c = Get(db, name) ?? throw new ServerError(26, "NamespaceNotFound", $"ns does not exist: {db}.{name}");
        return CursorReply($"{db}.{name}", new BsonArray(c.Indexes.Select(i => i.DeepClone())), 0, "firstBatch");
    }

    private BsonDocument Drop(string db, BsonDocument command)
    {
        _collections.Remove(db + "." + command["drop"].AsString);
        return new BsonDocument("ok", 1.0);
    }

    private BsonDocument DropDatabase(string db)
    {
        foreach (var key in _collections.Keys.Where(k => k.StartsWith(db + ".", StringComparison.Ordinal)).ToList()) _collections.Remove(key);
        return new BsonDocument("ok", 1.0);
    }

    private static string KeyOf(BsonDocument doc, BsonDocument keyPattern) =>
        string.Join("\u0001", keyPattern.Names.Select(n => (Lookup(doc, n) ?? BsonNull.Value).ToJson()));

    private static string? UniqueViolation(Coll c, BsonDocument candidate, BsonDocument? ignore)
    {
        foreach (var (name, pattern) in c.UniquePatterns())
        {
            var key = KeyOf(candidate, pattern);
            if (c.Unique[name].TryGetValue(key, out var other) && !ReferenceEquals(other, ignore))
                return $"E11000 duplicate key error collection: {c.Name} index: {name} dup key: {key}";
        }
        return null;
    }

    /// <summary>Candidates for a filter: through a unique index when the filter is equality on exactly its keys, else every document.</summary>
    private static IEnumerable<BsonDocument> Candidates(Coll c, BsonDocument q)
    {
        if (q.Elements.All(e => !(e.Value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'))))
        {
            foreach (var (name, pattern) in c.UniquePatterns())
            {
                if (pattern.ElementCount != q.ElementCount || !pattern.Names.All(q.Contains)) continue;
                var probe = new BsonDocument();
                foreach (var e in q) SetPath(probe, e.Name, e.Value);
                return c.Unique[name].TryGetValue(KeyOf(probe, pattern), out var hit) ? [hit] : [];
            }
        }
        return c.Docs;
    }

    // ---------------------------------------------------------------- writes

    private BsonDocument Insert(string db, BsonDocument command)
    {
        var c = GetOrCreate(db, command["insert"].AsString);
        var ordered = command.GetValue("ordered", true).ToBoolean();
        var errors = new BsonArray();
        var n = 0;
        var docs = command["documents"].AsBsonArray;
        for (var i = 0; i < docs.Count; i++)
        {
            var d = docs[i].AsBsonDocument;
            if (!d.Contains("_id")) d.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
            string? problem = null;
            var code = 11000;
            if (c.TimeSeries is { } ts)
            {
                var tf = ts["timeField"].AsString;
                if (!d.TryGetValue(tf, out var t) || !t.IsBsonDateTime)
                {
                    problem = $"'{tf}' must be present and contain a valid BSON UTC datetime value";
                    code = 2;
                }
            }
            else
            {
                problem = UniqueViolation(c, d, null);
            }
            if (problem is not null)
            {
                errors.Add(new BsonDocument { { "index", i }, { "code", code }, { "errmsg", problem } });
                if (ordered) break;
                continue;
            }
            c.Docs.Add(d);
            c.AddKeys(d);
            n++;
        }
        var reply = new BsonDocument { { "n", n } };
        if (errors.Count > 0) reply["writeErrors"] = errors;
        reply["ok"] = 1.0;
        return reply;
    }

    private BsonDocument Update(string db, BsonDocument command)
    {
        var c = GetOrCreate(db, command["update"].AsString);
        var ordered = command.GetValue("ordered", true).ToBoolean();
        int matched = 0, modified = 0;
        var upserted = new BsonArray();
        var errors = new BsonArray();
        var statements = command["updates"].AsBsonArray;
        for (var i = 0; i < statements.Count; i++)
        {
            var s = statements[i].AsBsonDocument;
            var q = s["q"].AsBsonDocument;
            var u = s["u"].AsBsonDocument;
            var upsert = s.GetValue("upsert", false).ToBoolean();
            var multi = s.GetValue("multi", false).ToBoolean();
            var isOperator = u.ElementCount > 0 && u.GetElement(0).Name.StartsWith('$');
            try
            {
                if (c.TimeSeries is not null && upsert)
                    throw new ServerError(72, "InvalidOptions", "Cannot perform an upsert on a time-series collection");
                var targets = Candidates(c, q).Where(d => Matches(d, q)).ToList();
                if (!multi && targets.Count > 1) targets = targets.Take(1).ToList();
                if (targets.Count == 0)
                {
                    if (!upsert) continue;
                    var doc = new BsonDocument();
                    foreach (var e in q) if (!e.Name.StartsWith('$') && !(e.Value is BsonDocument od && od.ElementCount > 0 && od.GetElement(0).Name.StartsWith('$'))) SetPath(doc, e.Name, e.Value);
                    if (isOperator) ApplyOperators(doc, u); else doc = Replacement(u, doc.GetValue("_id", BsonNull.Value));
                    if (!doc.Contains("_id") || doc["_id"].IsBsonNull) { doc.Remove("_id"); doc.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId())); }
                    if (UniqueViolation(c, doc, null) is { } dup) throw new ServerError(11000, "DuplicateKey", dup);
                    c.Docs.Add(doc);
                    c.AddKeys(doc);
                    upserted.Add(new BsonDocument { { "index", i }, { "_id", doc["_id"] } });
                    continue;
                }
                foreach (var target in targets)
                {
                    matched++;
                    var updated = isOperator ? target.DeepClone().AsBsonDocument : Replacement(u, target["_id"]);
                    if (isOperator) ApplyOperators(updated, u);
                    if (updated["_id"] != target["_id"]) throw new ServerError(66, "ImmutableField", "Performing an update on the path '_id' would modify the immutable field '_id'");
                    if (updated.Equals(target)) continue;
                    if (UniqueViolation(c, updated, target) is { } dup) throw new ServerError(11000, "DuplicateKey", dup);
                    c.RemoveKeys(target);
                    target.Clear();
                    target.AddRange(updated);
                    c.AddKeys(target);
                    modified++;
                }
            }
            catch (ServerError e)
            {
                errors.Add(new BsonDocument { { "index", i }, { "code", e.Code }, { "errmsg", e.Message } });
                if (ordered) break;
            }
        }
        var reply = new BsonDocument { { "n", matched + upserted.Count }, { "nModified", modified } };
        if (upserted.Count > 0) reply["upserted"] = upserted;
        if (errors.Count > 0) reply["writeErrors"] = errors;
        reply["ok"] = 1.0;
        return reply;
    }

    private static BsonDocument Replacement(BsonDocument u, BsonValue id)
    {
        var doc = u.DeepClone().AsBsonDocument;
        if (!doc.Contains("_id") && !id.IsBsonNull) doc.InsertAt(0, new BsonElement("_id", id));
        return doc;
    }

    private static void ApplyOperators(BsonDocument doc, BsonDocument u)
    {
        foreach (var op in u)
        {
            switch (op.Name)
            {
                case "$set":
                    foreach (var e in op.Value.AsBsonDocument) SetPath(doc, e.Name, e.Value);
                    break;
                case "$setOnInsert":
                    break;
                default:
                    throw new ServerError(9, "FailedToParse", $"MiniMongoServer does not implement update operator {op.Name}");
            }
        }
    }

    private static void SetPath(BsonDocument doc, string path, BsonValue value)
    {
        var parts = path.Split('.');
        var current = doc;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (!current.TryGetValue(parts[i], out var next) || !next.IsBsonDocument)
            {
                next = new BsonDocument();
                current[parts[i]] = next;
            }
            current = next.AsBsonDocument;
        }
        current[parts[^1]] = value;
    }

    private BsonDocument Delete(string db, BsonDocument command)
    {
        var c = Get(db, command["delete"].AsString);
        var n = 0;
        foreach (var s in command["deletes"].AsBsonArray.Select(x => x.AsBsonDocument))
        {
            if (c is null) continue;
            var q = s["q"].AsBsonDocument;
            var limit = s.GetValue("limit", 0).ToInt32();
            var targets = c.Docs.Where(d => Matches(d, q)).ToList();
            if (limit == 1) targets = targets.Take(1).ToList();
            var remove = targets.ToHashSet(ReferenceEqualityComparer.Instance);
            c.Docs.RemoveAll(remove.Contains);
            foreach (var t in targets) c.RemoveKeys(t);
            n += targets.Count;
        }
        return new BsonDocument { { "n", n }, { "ok", 1.0 } };
    }

    // ---------------------------------------------------------------- reads

    private BsonDocument Find(string db, BsonDocument command)
    {
        var name = command["find"].AsString;
        var c = Get(db, name);
        IEnumerable<BsonDocument> docs = c?.Docs.Where(d => Matches(d, command.GetValue("filter", new BsonDocument()).AsBsonDocument)).ToList() ?? [];
        if (command.TryGetValue("sort", out var sort)) docs = Sort(docs, sort.AsBsonDocument);
        if (command.TryGetValue("skip", out var skip)) docs = docs.Skip(skip.ToInt32());
        if (command.TryGetValue("limit", out var limit) && limit.ToInt32() > 0) docs = docs.Take(limit.ToInt32());
        if (command.TryGetValue("projection", out var projection)) docs = docs.Select(d => Project(d, projection.AsBsonDocument));
        var batchSize = command.GetValue("batchSize", 101).ToInt32();
        return StartCursor($"{db}.{name}", docs.Select(d => d.DeepClone().AsBsonDocument).ToList(), batchSize);
    }

    private BsonDocument Aggregate(string db, BsonDocument command)
    {
        var name = command["aggregate"].AsString;
        IEnumerable<BsonDocument> docs = Get(db, name)?.Docs.ToList() ?? [];
        foreach (var stage in command["pipeline"].AsBsonArray.Select(s => s.AsBsonDocument))
        {
            var op = stage.GetElement(0);
            switch (op.Name)
            {
                case "$match":
                    docs = docs.Where(d => Matches(d, op.Value.AsBsonDocument)).ToList();
                    break;
                case "$skip":
                    docs = docs.Skip(op.Value.ToInt32()).ToList();
                    break;
                case "$limit":
                    docs = docs.Take(op.Value.ToInt32()).ToList();
                    break;
                case "$group" when op.Value.AsBsonDocument.ElementCount == 2 && op.Value["_id"].IsNumeric:
                    var count = docs.Count();
                    var field = op.Value.AsBsonDocument.GetElement(1);
                    if (field.Value.AsBsonDocument.GetElement(0).Name != "$sum" || !field.Value.AsBsonDocument[0].IsNumeric)
                        throw new ServerError(9, "FailedToParse", "MiniMongoServer implements only {$group: {_id: <const>, n: {$sum: <number>}}}");
                    docs = count == 0 ? [] : [new BsonDocument { { "_id", op.Value["_id"] }, { field.Name, count * field.Value.AsBsonDocument[0].ToInt32() } }];
                    break;
                default:
                    throw new ServerError(9, "FailedToParse", $"MiniMongoServer does not implement pipeline stage {op.Name}");
            }
        }
        var batchSize = command.GetValue("cursor", new BsonDocument()).AsBsonDocument.GetValue("batchSize", 101).ToInt32();
        return StartCursor($"{db}.{name}", docs.Select(d => d.DeepClone().AsBsonDocument).ToList(), batchSize);
    }

    private BsonDocument StartCursor(string ns, List<BsonDocument> docs, int batchSize)
    {
        if (batchSize <= 0) batchSize = 101;
        var first = new BsonArray(docs.Take(batchSize));
        long id = 0;
        if (docs.Count > batchSize)
        {
            id = ++_nextCursor;
            _cursors[id] = (new Queue<BsonDocument>(docs.Skip(batchSize)), ns);
        }
        return CursorReply(ns, first, id, "firstBatch");
    }

    private BsonDocument GetMore(BsonDocument command)
    {
        var id = command["getMore"].ToInt64();
        if (!_cursors.TryGetValue(id, out var cursor)) throw new ServerError(43, "CursorNotFound", $"cursor id {id} not found");
        var batchSize = command.GetValue("batchSize", int.MaxValue).ToInt32();
        var batch = new BsonArray();
        while (batch.Count < batchSize && cursor.Docs.Count > 0) batch.Add(cursor.Docs.Dequeue());
        if (cursor.Docs.Count == 0)
        {
            _cursors.Remove(id);
            id = 0;
        }
        return CursorReply(cursor.Ns, batch, id, "nextBatch");
    }

    private BsonDocument KillCursors(BsonDocument command)
    {
        var killed = new BsonArray();
        foreach (var id in command["cursors"].AsBsonArray)
        {
            if (_cursors.Remove(id.ToInt64())) killed.Add(id);
        }
        return new BsonDocument { { "cursorsKilled", killed }, { "ok", 1.0 } };
    }

    private static BsonDocument CursorReply(string ns, BsonArray batch, long id, string batchName) =>
        new() { { "cursor", new BsonDocument { { batchName, batch }, { "id", id }, { "ns", ns } } }, { "ok", 1.0 } };

    // ---------------------------------------------------------------- query language

    private static BsonValue? Lookup(BsonDocument doc, string path)
    {
        BsonValue current = doc;
        foreach (var part in path.Split('.'))
        {
            if (current is not BsonDocument d || !d.TryGetValue(part, out var next)) return null;
            current = next;
        }
        return current;
    }

    private static int Compare(BsonValue a, BsonValue b) => a.CompareTo(b);

    internal static bool Matches(BsonDocument doc, BsonDocument filter)
    {
        foreach (var e in filter)
        {
            if (e.Name.StartsWith('$')) throw new ServerError(2, "BadValue", $"MiniMongoServer does not implement top-level {e.Name}");
            var value = Lookup(doc, e.Name);
            if (e.Value is BsonDocument ops && ops.ElementCount > 0 && ops.GetElement(0).Name.StartsWith('$'))
            {
                foreach (var op in ops)
                {
                    var ok = op.Name switch
                    {
                        "$eq" => value is not null && Compare(value, op.Value) == 0,
                        "$ne" => value is null || Compare(value, op.Value) != 0,
                        "$gt" => value is not null && SameClass(value, op.Value) && Compare(value, op.Value) > 0,
                        "$gte" => value is not null && SameClass(value, op.Value) && Compare(value, op.Value) >= 0,
                        "$lt" => value is not null && SameClass(value, op.Value) && Compare(value, op.Value) < 0,
                        "$lte" => value is not null && SameClass(value, op.Value) && Compare(value, op.Value) <= 0,
                        "$in" => value is not null && op.Value.AsBsonArray.Any(v => Compare(value, v) == 0),
                        "$nin" => value is null || !op.Value.AsBsonArray.Any(v => Compare(value, v) == 0),
                        _ => throw new ServerError(2, "BadValue", $"MiniMongoServer does not implement {op.Name}"),
                    };
                    if (!ok) return false;
                }
            }
            else if (value is null ? !e.Value.IsBsonNull : !value.Equals(e.Value))
            {
                return false;
            }
        }
        return true;
    }

    // Range operators only match values of the same canonical type class (numbers with numbers, dates with dates).
    private static bool SameClass(BsonValue a, BsonValue b) => (a.IsNumeric && b.IsNumeric) || a.BsonType == b.BsonType;

    private static IEnumerable<BsonDocument> Sort(IEnumerable<BsonDocument> docs, BsonDocument sort)
    {
        var list = docs.ToList();
        var keys = sort.Select(e => (e.Name, Dir: e.Value.ToInt32())).ToList();
        // Stable (insertion order for ties), as a natural-order scan with a blocking sort would be.
        return list.Select((d, i) => (d, i)).OrderBy(x => x, Comparer<(BsonDocument d, int i)>.Create((x, y) =>
        {
            foreach (var (name, dir) in keys)
            {
                var c = Compare(Lookup(x.d, name) ?? BsonNull.Value, Lookup(y.d, name) ?? BsonNull.Value);
                if (c != 0) return dir * c;
            }
            return x.i.CompareTo(y.i);
        })).Select(x => x.d);
    }

    private static BsonDocument Project(BsonDocument doc, BsonDocument projection)
    {
        var result = new BsonDocument();
        var includeId = projection.GetValue("_id", 1).ToBoolean();
        if (projection.Elements.Any(e => e.Name != "_id" && !e.Value.ToBoolean()))
            throw new ServerError(2, "BadValue", "MiniMongoServer implements inclusion projections only");
        if (includeId && doc.Contains("_id")) result["_id"] = doc["_id"];
        foreach (var e in projection)
        {
            if (e.Name == "_id") continue;
            if (Lookup(doc, e.Name) is { } v) SetPath(result, e.Name, v);
        }
        return result;
    }

    /// <summary>Documents of a collection (copies), for assertions.</summary>
    public List<BsonDocument> Documents(string db, string coll)
    {
        lock (_gate) return Get(db, coll)?.Docs.Select(d => d.DeepClone().AsBsonDocument).ToList() ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _acceptLoop; } catch { }
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        try { await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(5)); } catch { }
        _stop.Dispose();
    }
}

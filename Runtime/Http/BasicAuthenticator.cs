using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>The outcome of checking a request's <c>Authorization</c> field.</summary>
internal enum AuthResult
{
    /// <summary>Valid credentials, known from the cache: no bcrypt needed.</summary>
    Granted,

    /// <summary>Missing or malformed credentials: 401 at once.</summary>
    Denied,

    /// <summary>Well-formed credentials not in the cache: <see cref="BasicAuthenticator.VerifyAsync"/> decides.</summary>
    NeedsBcrypt,
}

/// <summary>
/// HTTP basic authentication (RFC 7617) against bcrypt hashes, as exporter-toolkit does it. A successful bcrypt
/// verification is cached under the user and a keyed hash of the password, so a scrape every few seconds costs a
/// SHA-256, not a bcrypt; a different password for the same user misses the cache and is verified again (exporter-toolkit's
/// CVE-2022-46146 came from a cache keyed too loosely). An unknown user is verified against a dummy hash of the same
/// cost, so the time taken does not tell which users exist. Thread-safe; one instance per exporter.
/// </summary>
internal sealed class BasicAuthenticator
{
    // Remembered passwords per user: one in practice. More than one can verify because bcrypt reads 72 bytes at
    // most, so the slots are few and reused round-robin to keep memory bounded whatever clients send.
    private const int CacheSlotsPerUser = 4;
    private const int DigestBytes = 32;
    private const int CacheKeyBytes = 32;

    private readonly User[] _users;
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(CacheKeyBytes);
    private readonly BcryptHash _dummy;

    // bcrypt is deliberately slow CPU work: at most this many run at once, the rest wait without holding a thread.
    private readonly SemaphoreSlim _bcryptSlots = new(Math.Max(1, Environment.ProcessorCount / 2));
    private long _bcryptRuns;

    private BasicAuthenticator(User[] users, BcryptHash dummy)
    {
        _users = users;
        _dummy = dummy;
    }

    /// <summary>bcrypt verifications run so far (tests use it to tell cache hits from misses).</summary>
    internal long BcryptRuns => Interlocked.Read(ref _bcryptRuns);

    /// <summary>An authenticator for the users (name to bcrypt hash, already validated), or null when there are none.</summary>
    public static BasicAuthenticator? Create(IReadOnlyDictionary<string, string> users)
    {
        if (users.Count == 0)
        {
            return null;
        }

        var list = new List<User>();
        int maxCost = Bcrypt.MinCost;
        foreach (KeyValuePair<string, string> user in users)
        {
            Bcrypt.TryParse(user.Value, out BcryptHash hash);
            maxCost = Math.Max(maxCost, hash.Cost);
            list.Add(new User(Encoding.UTF8.GetBytes(user.Key), hash));
        }

        // A hash nobody's password matches (random salt and digest), at the highest configured cost: an unknown user
        // is never answered faster than a known one.
        var dummy = new BcryptHash('b', maxCost, RandomNumberGenerator.GetBytes(Bcrypt.SaltBytes), RandomNumberGenerator.GetBytes(Bcrypt.DigestBytes));
        return new BasicAuthenticator(list.ToArray(), dummy);
    }

    /// <summary>
    /// Checks the Authorization field values of a request without allocating. On <see cref="AuthResult.NeedsBcrypt"/>,
    /// <paramref name="pending"/> holds what <see cref="VerifyAsync"/> needs.
    /// </summary>
    public AuthResult Check(ReadOnlySpan<byte> head, ReadOnlySpan<ByteRange> authorization, out PendingCredentials? pending)
    {
        pending = null;
        if (authorization.Length != 1)
        {
            // None, or several: which one would count is ambiguous, so neither does.
            return AuthResult.Denied;
        }

        ReadOnlySpan<byte> value = authorization[0].Of(head);
        if (value.Length < 7 || !Ascii.EqualsIgnoreCase(value.Slice(0, 5), "Basic"u8) || value[5] != (byte)' ')
        {
            return AuthResult.Denied;
        }

        ReadOnlySpan<byte> encoded = value.Slice(6).TrimStart((byte)' ');

        // Decoded behind a gap of the cache key's length, so the key can later be put right in front of the password.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CacheKeyBytes + Base64.GetMaxDecodedFromUtf8Length(encoded.Length));
        try
        {
            Span<byte> decoded = buffer.AsSpan(CacheKeyBytes);
            if (Base64.DecodeFromUtf8(encoded, decoded, out int consumed, out int written) != OperationStatus.Done || consumed != encoded.Length)
            {
                return AuthResult.Denied;
            }

            ReadOnlySpan<byte> credentials = decoded.Slice(0, written);
            int colon = credentials.IndexOf((byte)':');

            // A NUL would end the password early in C implementations of bcrypt; such a password never matches.
            if (colon < 0 || credentials.IndexOf((byte)0) >= 0)
            {
                return AuthResult.Denied;
            }

            User? user = Find(credentials.Slice(0, colon));

            // The cache key: SHA-256 of a random per-exporter key followed by the password. The key keeps cached
            // digests useless outside this process; the name bytes it overwrites are no longer needed.
            int passwordStart = CacheKeyBytes + colon + 1;
            Span<byte> keyed = buffer.AsSpan(passwordStart - CacheKeyBytes, CacheKeyBytes + written - colon - 1);
            _cacheKey.CopyTo(keyed);
            Span<byte> digest = stackalloc byte[DigestBytes];
            SHA256.HashData(keyed, digest);
            if (user is not null && user.IsCached(digest))
            {
                return AuthResult.Granted;
            }

            pending = new PendingCredentials(user, keyed.Slice(CacheKeyBytes), digest);
            return AuthResult.NeedsBcrypt;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan());
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Runs bcrypt for credentials not in the cache (against the dummy hash for an unknown user); caches a success.</summary>
    public async ValueTask<bool> VerifyAsync(PendingCredentials pending, CancellationToken cancel)
    {
        await _bcryptSlots.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _bcryptRuns);
            User? user = pending.User;
            bool valid = Bcrypt.Verify(pending.Password, user?.Hash ?? _dummy) && user is not null;
            if (valid)
            {
                user!.Remember(pending.Digest);
            }

            return valid;
        }
        finally
        {
            _bcryptSlots.Release();
            pending.Clear();
        }
    }

    private User? Find(ReadOnlySpan<byte> name)
    {
        // User lists are short; a linear scan over UTF-8 names needs no string per request.
        foreach (User user in _users)
        {
            if (name.SequenceEqual(user.Name))
            {
                return user;
            }
        }

        return null;
    }

    /// <summary>Credentials copied out of the receive buffer for a bcrypt check on another turn of the connection.</summary>
    internal sealed class PendingCredentials
    {
        private readonly byte[] _password;

        public PendingCredentials(User? user, ReadOnlySpan<byte> password, ReadOnlySpan<byte> digest)
        {
            User = user;
            _password = password.ToArray();
            Digest = digest.ToArray();
        }

        public User? User { get; }

        public ReadOnlySpan<byte> Password => _password;

        public byte[] Digest { get; }

        public void Clear() => CryptographicOperations.ZeroMemory(_password);
    }

    internal sealed class User
    {
        private readonly byte[]?[] _cache = new byte[CacheSlotsPerUser][];
        private int _next;

        public User(byte[] name, BcryptHash hash)
        {
            Name = name;
            Hash = hash;
        }

        public byte[] Name { get; }

        public BcryptHash Hash { get; }

        public bool IsCached(ReadOnlySpan<byte> digest)
        {
            bool found = false;
            for (int i = 0; i < _cache.Length; i++)
            {
                // Every slot is compared, in constant time, so the position of a match tells nothing.
                byte[]? entry = Volatile.Read(ref _cache[i]);
                found |= entry is not null && CryptographicOperations.FixedTimeEquals(entry, digest);
            }

            return found;
        }

        public void Remember(byte[] digest)
        {
            lock (_cache)
            {
                if (IsCached(digest))
                {
                    return;
                }

                Volatile.Write(ref _cache[_next], digest);
                _next = (_next + 1) % _cache.Length;
            }
        }
    }
}

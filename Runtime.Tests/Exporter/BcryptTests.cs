using System;
using System.Text;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

public class BcryptTests
{
    // The test vectors published with OpenBSD's and jBCrypt's test suites ($2a$, cost 6 to 10).
    public static TheoryData<string, string> PublishedVectors => new()
    {
        { "", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s." },
        { "", "$2a$08$HqWuK6/Ng6sg9gQzbLrgb.Tl.ZHfXLhvt/SgVyWhQqgqcZ7ZuUtye" },
        { "a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe" },
        { "abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i" },
        { "abc", "$2a$10$WvvTPHKwdBJ3uk0Z37EMR.hLA2W6N9AEBhEgrAOljy2Ae5MtaSIUi" },
        { "abcdefghijklmnopqrstuvwxyz", "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC" },
        { "~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO" },
    };

    // Made on Debian 12 with apache2-utils 2.4.71 (`htpasswd -nbB -C COST USER PASSWORD`) and python3-bcrypt 3.2.2
    // (`bcrypt.hashpw(password, bcrypt.gensalt(rounds=COST, prefix=...))`); the password is given as UTF-8 text.
    public static TheoryData<string, string, string> ToolHashes => new()
    {
        { "htpasswd -B -C 4", "s3cret-4", "$2y$04$zzwlBuYSDLUs1AEBkeqnsOP07SqZcIEW/dotbfpE.EpYGIsuUl2uG" },
        { "htpasswd -B -C 5", "s3cret-5", "$2y$05$vYOgAaS1iQECB3NlVxlO7ugNwdW9VV.zutN6zMmb7vvcA/HW/xjTy" },
        { "htpasswd -B -C 10", "s3cret-10", "$2y$10$Bxg0Oa9XPo.O9f8HLfhWku5HSx3N.i3f8dSe8pT5Plp/6Jmb0qLwK" },
        { "htpasswd -B, non-ASCII", "pässwörd €", "$2y$04$wlgBr1hvlSsS/wVxL6WKROy2sA5sCv3N7AdMvt2PoWZ.u4H1MhOz." },
        { "htpasswd -B, 80 bytes", new string('a', 80), "$2y$04$YdskkZ9DayBnmV5LBSZsTuwObvs5OxoqWBYlCkG.Myy5Jk0YE8jgS" },
        { "python3-bcrypt $2b$", "correct horse battery staple", "$2b$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK" },
        { "python3-bcrypt $2a$", "correct horse battery staple", "$2a$06$DKhrMCpMbrMmDhhf0WdfFepuQxih9rPFMMFxg9FRdRaQggoXLSE/u" },
        { "python3-bcrypt, emoji", "ünïcødé 🔑", "$2b$05$sLBM.tty3t7/U2PgRaOMue6qKizmWj2yp3TmSlcfplDlbyainucOy" },
        { "python3-bcrypt, 72 bytes", new string('x', 72), "$2b$04$So1F1JZ0TVkWXMDm4ybkHeIZ7rkAgKRXEjb2wSLISrQSTt5p41S3G" },
    };

    [Theory]
    [MemberData(nameof(PublishedVectors))]
    public void PublishedVectorsAreReproducedExactly(string password, string hash)
    {
        Assert.True(Bcrypt.TryParse(hash, out BcryptHash parsed));
        Assert.Equal(hash, Bcrypt.Hash(Encoding.UTF8.GetBytes(password), parsed.Cost, parsed.Salt, parsed.Minor));
        Assert.True(Bcrypt.Verify(Encoding.UTF8.GetBytes(password), parsed));
    }

    [Theory]
    [MemberData(nameof(ToolHashes))]
    public void HashesOfHtpasswdAndPythonBcryptVerify(string tool, string password, string hash)
    {
        Assert.True(Bcrypt.TryParse(hash, out BcryptHash parsed), tool);
        Assert.True(Bcrypt.Verify(Encoding.UTF8.GetBytes(password), parsed), tool);
        Assert.False(Bcrypt.Verify(Encoding.UTF8.GetBytes("Z" + password[1..]), parsed), tool);
    }

    [Fact]
    public void OnlyTheFirst72BytesCount()
    {
        // python3-bcrypt's hash of 72 'x': a longer password with the same first 72 bytes matches, as in every bcrypt.
        Assert.True(Bcrypt.TryParse("$2b$04$So1F1JZ0TVkWXMDm4ybkHeIZ7rkAgKRXEjb2wSLISrQSTt5p41S3G", out BcryptHash parsed));
        Assert.True(Bcrypt.Verify(Encoding.ASCII.GetBytes(new string('x', 72) + "tail"), parsed));
        Assert.False(Bcrypt.Verify(Encoding.ASCII.GetBytes(new string('x', 71)), parsed));
    }

    [Fact]
    public void MinorVersionsAreComputedAlike()
    {
        byte[] salt = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        byte[] password = Encoding.UTF8.GetBytes("prometheus");
        string b = Bcrypt.Hash(password, 4, salt, 'b');
        Assert.Equal(b.Replace("$2b$", "$2a$"), Bcrypt.Hash(password, 4, salt, 'a'));
        Assert.Equal(b.Replace("$2b$", "$2y$"), Bcrypt.Hash(password, 4, salt, 'y'));
        Assert.True(Bcrypt.TryParse(b, out BcryptHash parsed));
        Assert.Equal(4, parsed.Cost);
        Assert.Equal(salt, parsed.Salt);
        Assert.True(Bcrypt.Verify(password, parsed));
    }

    [Theory]
    [InlineData("$2b$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK", true)]
    [InlineData("$2b$31$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK", true)]
    [InlineData("$2b$03$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK", false)]
    [InlineData("$2b$32$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK", false)]
    [InlineData("$2x$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK", false)]
    [InlineData("$2$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGKx", false)]
    [InlineData("$1$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK", false)]
    [InlineData("$2b$4$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGKx", false)]
    [InlineData("$2b$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UG", false)]
    [InlineData("$2b$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGKK", false)]
    [InlineData("$2b$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UG+", false)]
    [InlineData("$2b$0a$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK", false)]
    [InlineData("", false)]
    [InlineData("plain-text-password", false)]
    public void HashesAreParsedStrictly(string hash, bool valid) => Assert.Equal(valid, Bcrypt.TryParse(hash, out _));

    [Fact]
    public void CostOutsideFourToThirtyOneCannotBeHashed()
    {
        byte[] salt = new byte[16];
        Assert.Throws<ArgumentOutOfRangeException>(() => Bcrypt.Hash("x"u8, 3, salt));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bcrypt.Hash("x"u8, 32, salt));
    }
}

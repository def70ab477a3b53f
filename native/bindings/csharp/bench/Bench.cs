// X-Wing encapsulate / decapsulate medians through the public C# API, printed as
// the same JSON lines as hybridkem-bench-core (same ops: encapsulate is the
// derandomized call with 0x5a randomness, decapsulate a fixed ciphertext).
using System;
using System.Diagnostics;
using HybridKem;

static class Bench
{
    static long MedianNs(int iterations, int warmup, Action op)
    {
        for (int i = 0; i < warmup; i++) op();
        var t = new long[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long s = Stopwatch.GetTimestamp();
            op();
            t[i] = Stopwatch.GetTimestamp() - s;
        }
        Array.Sort(t);
        long m = iterations % 2 == 1 ? t[iterations / 2] : (t[iterations / 2 - 1] + t[iterations / 2]) / 2;
        return m * 1000000000L / Stopwatch.Frequency;
    }

    static void Main(string[] args)
    {
        int iterations = args.Length > 0 ? int.Parse(args[0]) : 1000;
        int warmup = args.Length > 1 ? int.Parse(args[1]) : 100;
        var suite = Suite.XWing;
        var info = SuiteInfo.Of(suite);
        using (var sk = Kem.GeneratePrivateKey(suite))
        {
            var pk = Kem.DerivePublicKey(suite, sk);
            var rnd = new byte[info.RandomnessLength];
            for (int i = 0; i < rnd.Length; i++) rnd[i] = 0x5a;
            byte[] ct;
            using (var e = Kem.Encapsulate(suite, pk)) ct = e.Ciphertext;
            long enc = MedianNs(iterations, warmup, () => Kem.EncapsulateDerandomized(suite, pk, rnd).Dispose());
            long dec = MedianNs(iterations, warmup, () => Kem.Decapsulate(suite, sk, ct).Dispose());
            Console.WriteLine("{\"suite\":\"X-Wing\",\"op\":\"encapsulate\",\"medianNs\":" + enc + ",\"samples\":" + iterations + "}");
            Console.WriteLine("{\"suite\":\"X-Wing\",\"op\":\"decapsulate\",\"medianNs\":" + dec + ",\"samples\":" + iterations + "}");
        }
    }
}

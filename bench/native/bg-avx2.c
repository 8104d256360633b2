/* bg-avx2.c: a fast C program for the Computer Language Benchmarks Game "mandelbrot" workload (the rules are in
   bg-rules.c), to put mandel-par's PBM output next to native code. Written for mandel-par, not taken from the
   Benchmarks Game site.

   Build: cc -O3 -mavx2 -ffp-contract=off -pthread -o bg-avx2 bg-avx2.c
   Usage: bg-avx2 N [THREADS=2] > out.pbm

   How it goes fast: each pass of the inner loop iterates VECS __m256d vectors of 4 pixels (8 pixels with VECS = 2,
   one output byte), whose independent multiply chains overlap; the loop leaves early only when every pixel of the
   group has escaped, and looks at that only once every CHECK iterations (a movemask is a branch the loop can do
   without). Rows go to the threads through one atomic row counter, so a thread that drew cheap rows takes more.

   How it stays bit-for-bit identical to bg-rules.c:
   - Each lane performs exactly the IEEE-754 double operations bg-rules.c performs for its pixel, in the same order,
     with no fused multiply-add (-ffp-contract=off, and no FMA intrinsics): c from the same expressions
     (2.0*x/n - 1.5, 2.0*y/n - 1.0, computed as scalars); zi = (zr + zr) * zi + ci, where zr + zr equals 2.0 * zr
     exactly (doubling is exact, and overflows to the same infinity); zr = (tr - ti) + cr with tr = zr*zr and
     ti = zi*zi kept from the previous step (0 at the start, = 0*0), which is zr*zr - zi*zi + cr; and the test
     tr + ti > 4.0 on the new z is bg-rules.c's zr*zr + zi*zi > 4.0. AVX lanes are plain round-to-nearest doubles,
     as scalar SSE2 code is on x86-64 (no extended precision).
   - The escape test is done after EVERY iteration, as the rules say, but cheaply: one compare and one OR per vector
     into a sticky "escaped" mask, no branch. Only the early exit is checked every CHECK iterations. So a lane that
     escaped and keeps being iterated (it may grow to infinity and then NaN, for which "> 4.0" is false) cannot
     lose its bit: the mask already holds it. A pixel is inside iff its mask lane is still clear after 50
     iterations, which is exactly bg-rules.c's "never exceeded 4.0 in 50 iterations". No argument about what
     happens to escaped values in floating point is needed.
   Checked with cmp against bg-rules.c at N = 200, 1000 and 4000 (see bench/benchmarks-game.mjs for the harness). */
#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define ITER 50
#define CHECK 5 /* early-exit test every CHECK iterations; ITER % CHECK == 0 */
#define VECS 2  /* vectors of 4 pixels per group: 2 = 8 pixels = one output byte */
#define GROUP (4 * VECS)
#if VECS % 2 || ITER % CHECK
#error "VECS must be even and CHECK must divide ITER"
#endif

static int n, rowBytes, groups;
static double *crs; /* cr for each x, padded to whole groups */
static unsigned char *bits;
static atomic_int nextRow;

/* bit j of m is lane j (pixel j): reverse the 4 bits so that the first pixel lands in the highest bit */
static const unsigned char rev4[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

static void renderRow(int y) {
  const __m256d ci = _mm256_set1_pd(2.0 * y / n - 1.0);
  const __m256d four = _mm256_set1_pd(4.0);
  unsigned char *out = bits + (size_t)y * rowBytes;
  for (int g = 0; g < groups; g++) {
    __m256d cr[VECS], zr[VECS], zi[VECS], tr[VECS], ti[VECS], esc[VECS];
    for (int k = 0; k < VECS; k++) {
      cr[k] = _mm256_loadu_pd(crs + g * GROUP + 4 * k);
      zr[k] = zi[k] = tr[k] = ti[k] = esc[k] = _mm256_setzero_pd();
    }
    for (int block = 0; block < ITER / CHECK; block++) {
      for (int step = 0; step < CHECK; step++) {
        for (int k = 0; k < VECS; k++) {
          zi[k] = _mm256_add_pd(_mm256_mul_pd(_mm256_add_pd(zr[k], zr[k]), zi[k]), ci);
          zr[k] = _mm256_add_pd(_mm256_sub_pd(tr[k], ti[k]), cr[k]);
          tr[k] = _mm256_mul_pd(zr[k], zr[k]);
          ti[k] = _mm256_mul_pd(zi[k], zi[k]);
          esc[k] = _mm256_or_pd(esc[k], _mm256_cmp_pd(_mm256_add_pd(tr[k], ti[k]), four, _CMP_GT_OQ));
        }
      }
      __m256d all = esc[0];
      for (int k = 1; k < VECS; k++) all = _mm256_and_pd(all, esc[k]);
      if (_mm256_movemask_pd(all) == 0xF) break;
    }
    for (int k = 0; k < VECS; k += 2) {
      int escaped = rev4[_mm256_movemask_pd(esc[k])] << 4 | rev4[_mm256_movemask_pd(esc[k + 1])];
      int b = g * (VECS / 2) + k / 2;
      if (b < rowBytes) out[b] = (unsigned char)~escaped;
    }
  }
  if (n % 8) out[rowBytes - 1] &= (unsigned char)(0xFF << (8 - n % 8)); /* padding bits are 0 */
}

static void *worker(void *arg) {
  (void)arg;
  for (int y; (y = atomic_fetch_add(&nextRow, 1)) < n;) renderRow(y);
  return NULL;
}

int main(int argc, char **argv) {
  n = argc > 1 ? atoi(argv[1]) : 200;
  int threads = argc > 2 ? atoi(argv[2]) : 2;
  if (n <= 0 || threads <= 0) return 2;
  rowBytes = (n + 7) / 8;
  groups = (n + GROUP - 1) / GROUP;
  crs = malloc(sizeof(double) * (size_t)groups * GROUP);
  bits = malloc((size_t)rowBytes * n);
  pthread_t *ids = malloc(sizeof(pthread_t) * threads);
  if (!crs || !bits || !ids) return 1;
  for (int x = 0; x < groups * GROUP; x++) crs[x] = 2.0 * x / n - 1.5;
  atomic_init(&nextRow, 0);
  for (int t = 0; t < threads; t++)
    if (pthread_create(&ids[t], NULL, worker, NULL)) return 1;
  for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
  printf("P4\n%d %d\n", n, n);
  fwrite(bits, 1, (size_t)rowBytes * n, stdout);
  return 0;
}

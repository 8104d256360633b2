/*
 * The Benchmarks Game's mandelbrot task, by its published rules, plainly: the reference that mandel-par's
 * `--out pbm` is checked against (test/formats.test.ts). For pixel (x, y) of an N x N image,
 * Cr = 2x/N - 1.5, Ci = 2y/N - 1; z starts at 0 and takes 50 steps of z = z^2 + c; the pixel is inside (bit 1)
 * when |z|^2 never exceeded 4. Output: Netpbm P4, rows packed 8 pixels a byte, most significant bit first.
 *
 *   cc -O2 -std=c99 -ffp-contract=off -o pbm-rules pbm-rules.c && ./pbm-rules 200 > ref.pbm
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  printf("P4\n%d %d\n", n, n);
  for (int y = 0; y < n; y++) {
    unsigned char byte = 0;
    int bits = 0;
    for (int x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5, ci = 2.0 * y / n - 1.0;
      double zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
      int inside = 1;
      for (int i = 0; i < 50; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
        if (tr + ti > 4.0) {
          inside = 0;
          break;
        }
      }
      byte = (unsigned char)((byte << 1) | inside);
      if (++bits == 8 || x == n - 1) {
        byte = (unsigned char)(byte << (8 - bits));
        putchar(byte);
        byte = 0;
        bits = 0;
      }
    }
  }
  return 0;
}

/* bg-rules.c: the Computer Language Benchmarks Game "mandelbrot" rules as plain scalar C99, one pixel at a time.
   This is the reference for checking mandel-par's PBM output (and bg-avx2.c, bench/bg-js.mjs) byte for byte.

   Pixel (x, y) of an N x N bitmap, y = 0 the first row written: Cr = 2*x/N - 1.5, Ci = 2*y/N - 1.
   z starts at 0 and z = z^2 + c is iterated 50 times; the pixel is inside (bit 1) if |z|^2 never exceeded 4.0,
   tested with "> 4.0" after each iteration. Output: Netpbm P4, "P4\n<N> <N>\n", then each row packed 8 pixels
   a byte, most significant bit first, padded to a whole byte, 1 = inside.

   Build: cc -O2 -std=c99 -ffp-contract=off -o bg-rules bg-rules.c   (no fused multiply-add)
   Usage: bg-rules N > out.pbm */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  if (n <= 0) return 2;
  int rowBytes = (n + 7) / 8;
  unsigned char *row = malloc(rowBytes);
  if (!row) return 1;
  printf("P4\n%d %d\n", n, n);
  for (int y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    for (int b = 0; b < rowBytes; b++) row[b] = 0;
    for (int x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5;
      double zr = 0.0, zi = 0.0;
      int inside = 1;
      for (int i = 0; i < 50; i++) {
        double nr = zr * zr - zi * zi + cr;
        double ni = 2.0 * zr * zi + ci;
        zr = nr;
        zi = ni;
        if (zr * zr + zi * zi > 4.0) {
          inside = 0;
          break;
        }
      }
      if (inside) row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
    }
    fwrite(row, 1, rowBytes, stdout);
  }
  free(row);
  return 0;
}

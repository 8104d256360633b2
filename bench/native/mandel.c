/* The original loop as plain scalar C, for the benchmark's native reference line.
   Build: gcc -O3 -ffp-contract=off (no fused multiply-add: the same f64 operations as every mandel-par engine).
   Usage: mandel WIDTH HEIGHT MAX_ITER XMIN XMAX YMIN YMAX [ascii]; prints the brute-force iteration count,
   or with "ascii" the picture, as mandel-par --out ascii does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 8) return 2;
  int width = atoi(argv[1]), height = atoi(argv[2]), max = atoi(argv[3]);
  double xMin = atof(argv[4]), xMax = atof(argv[5]), yMin = atof(argv[6]), yMax = atof(argv[7]);
  int ascii = argc > 8 && strcmp(argv[8], "ascii") == 0;
  double stepX = (xMax - xMin) / width, stepY = (yMax - yMin) / height;
  long long iterations = 0;
  char *line = malloc(width + 1);
  for (int row = 0; row < height; row++) {
    double cy = yMax - row * stepY;
    for (int col = 0; col < width; col++) {
      double cx = xMin + col * stepX, zx = cx, zy = cy, x2 = zx * zx, y2 = zy * zy;
      int i = 1;
      while (i < max && x2 + y2 < 4.0) {
        zy = zx * zy * 2.0 + cy;
        zx = x2 - y2 + cx;
        i++;
        x2 = zx * zx;
        y2 = zy * zy;
      }
      iterations += i - 1;
      line[col] = i >= max ? '*' : '-';
    }
    line[width] = '\n';
    if (ascii) fwrite(line, 1, width + 1, stdout);
  }
  if (!ascii) printf("%lld\n", iterations);
  return 0;
}

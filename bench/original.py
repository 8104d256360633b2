"""The original program: a pure-Python escape-time Mandelbrot printed as ASCII (140 x 50, 100000 iterations).

Kept as the reference that test/golden/classic.txt was produced from, and as the pure-Python timing in
`npm run bench`. Usage: python3 bench/original.py [width height max_iter]
"""
import sys


def count(cx, cy, max_iter):
    zx = cx
    zy = cy
    i = 1
    x2 = zx * zx
    y2 = zy * zy
    while i < max_iter and x2 + y2 < 4.0:
        zy = zx * zy * 2.0 + cy
        zx = x2 - y2 + cx
        i += 1
        x2 = zx * zx
        y2 = zy * zy
    return -1 if i >= max_iter else i


def main(width=140, height=50, max_iter=100000, x_min=-2.0, x_max=1.0, y_min=-1.0, y_max=1.0):
    step_x = (x_max - x_min) / width
    step_y = (y_max - y_min) / height
    lines = []
    for row in range(height):
        cy = y_max - row * step_y
        lines.append(''.join('*' if count(x_min + col * step_x, cy, max_iter) == -1 else '-' for col in range(width)))
    sys.stdout.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:4]))

/** Where lane l's value lies in a lane array (f64 or i32 per lane), for the kernels that keep lanes in memory. */

// @ts-ignore: decorator
@inline
export function f64At(array: usize, l: i32): usize {
  return array + (<usize>l << 3);
}

// @ts-ignore: decorator
@inline
export function i32At(array: usize, l: i32): usize {
  return array + (<usize>l << 2);
}

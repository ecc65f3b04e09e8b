/** `sort` as the API takes it: "name" or "-name" (one field at a time here). */
export function nextSort(current: string | null, field: string): string {
  return current === field ? `-${field}` : field;
}

// Paging and ordering of lists, shared by every store.

/** How a list is sorted: a record field (checked against an allow-list by the caller) and a direction. */
export interface ListOrder {
  field: string;
  direction: 'asc' | 'desc';
}

/** Page of a list and the total count, for `Content-Range`. */
export interface Page<T> {
  items: T[];
  total: number;
}

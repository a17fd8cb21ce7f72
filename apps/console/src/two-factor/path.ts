/** Route of the two-factor authentication page. */
export const TWO_FACTOR_PATH = '/two-factor';

export const PASSWORD_MAX_LENGTH = 256;
export const TEXT_MAX_LENGTH = 10_000;
export const COMMENT_MAX_LENGTH = 2_000;

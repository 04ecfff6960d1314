import { formatNumber } from '../utils/format';

/** A password's length, in characters: the server's rule and the hint of its field. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const TEXT_MAX_LENGTH = 10_000;

/** The reason of a change of the plan (a form's, an import's), published with its revision. */
export const REASON_MIN_LENGTH = 3;
export const REASON_MAX_LENGTH = 500;
export const COMMENT_MAX_LENGTH = 2_000;

/**
 * The measurement comment's hint on the partner's form: where it is shown, and its limit, said
 * before typing (here, not in the schema, so that the page's script does not bring the schema).
 */
export const MEASUREMENT_COMMENT_HINT = `publié avec la mesure sur la page de la fiche\u202f; ${formatNumber(COMMENT_MAX_LENGTH)} caractères au plus`;

/** The progress's rule, in the words of its field's hint and of its refusals. */
export const PROGRESS_RULE_WORDS = 'nombre entier de 0 à 100';

/**
 * The hint of an optional text of the partner's form (« Prochaines étapes », « Difficultés rencontrées »): its
 * limit, said before typing, as the measurement comment's is.
 */
export const OPTIONAL_TEXT_HINT = `facultatif\u202f; ${formatNumber(TEXT_MAX_LENGTH)} caractères au plus`;

/**
 * The hint of « Ce qui a été fait »: asked for on submission only, and its limit, said as the
 * optional texts' is.
 */
export const DONE_TEXT_HINT = `obligatoire pour soumettre, pas pour un brouillon\u202f; ${formatNumber(TEXT_MAX_LENGTH)} caractères au plus`;

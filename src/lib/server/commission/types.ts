/**
 * Types the commission's services and repositories both use: a repository imports none from a
 * service (layering goes service → repository only).
 */

/** What a convocation wrote, for the convener's summary (`convocationSummary`). */
export interface ConvocationWritten {
	members: number;
	partners: number;
	/** Those who turned the commission's messages off get none: counted apart, not as convened. */
	optedOut: number;
	released: number;
	/** Who those are, for the convener to warn: members by name, partners by organisation. */
	notReached: string[];
}

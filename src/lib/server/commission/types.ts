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
	/**
	 * Who those are, for the convener to warn: by account and group, named only when shown
	 * (`withNames`: members by name, partners by organisation).
	 */
	notReached: NotReached[];
}

/**
 * One a séance's mailing did not write to (they turned the commission's messages off): their
 * account and the group they were written to as, kept by number, never by name (what it keeps
 * outlives the summary it is read for); named when shown (`notReachedNames`).
 */
export interface NotReached {
	id: number;
	group: 'members' | 'partners' | 'released';
}

/**
 * What a séance's closing wrote (`closing_written`): to how many members and partners its relevé
 * was written, and whom it did not reach, for the closer's summary (who closed it is the séance's
 * `closed_by`, not repeated here).
 */
export interface ClosingWritten {
	members: number;
	partners: number;
	notReached: NotReached[];
}

import type { SittingRecord } from './repository';

/*
 * A séance's short header, in a module of its own: the service (the file of a fiche, the closing
 * page) and the convocation (what it announces), which the service imports, both read it here
 * without importing each other.
 */

/** A séance's number, day, hour, title and place. */
type SittingHeader = Pick<SittingRecord, 'id' | 'heldOn' | 'startsAt' | 'title' | 'place'>;

/**
 * A séance's short header — its number, day, hour, title and place — as the pages that name it
 * above something of their own show it (the file of a fiche, the closing page), and as its
 * convocation announces it.
 */
export function sittingHeader(sitting: SittingHeader): SittingHeader {
	const { id, heldOn, startsAt, title, place } = sitting;
	return { id, heldOn, startsAt, title, place };
}

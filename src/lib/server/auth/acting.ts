import type { Executor } from '../db';
import { refuse, type Refusal } from '../result';
import { can, type Action } from './permissions';
import { findUserById, type User } from './users';

/**
 * Services that change accounts re-read who acts, in the transaction that acts: the route's guard
 * read the account before, and two administrators who disable or demote each other from pages open
 * at once would both pass it and leave the portal with none. Refused (403) when the account is gone,
 * disabled or no longer allowed `action`; null when it may act.
 */
export async function actorRefusal(
	db: Executor,
	actor: User,
	action: Action
): Promise<Refusal | null> {
	const now = await findUserById(db, actor.id);
	if (now && !now.disabled && can(now, action)) return null;
	return refuse(
		403,
		'Votre compte n’a plus ce droit (un autre administrateur l’a changé entre-temps) : rien n’a été fait.'
	);
}

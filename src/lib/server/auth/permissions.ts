import type { Role, UpdateState } from '../db/schema';

export interface Actor {
	id: number;
	role: Role;
	organisationId: number | null;
}

const HOMES: Record<Role, string> = {
	admin: '/admin',
	partenaire: '/espace',
	// Its séances, those being prepared among them: a member's work (the public home page was not).
	commission: '/commission'
};

/** Where a person lands once signed in, or on another role's page: their own space. */
export function homeFor(role: Role): string {
	return HOMES[role];
}

/** What each action is checked against. */
export interface Resources {
	/**
	 * /espace is one's own page: a partner's; anyone else is taken to their home page. Reading it
	 * also needs an organisation (`espace.view`).
	 */
	'espace.enter': undefined;
	'espace.view': undefined;
	'update.create': { ficheOrganisationIds: number[] };
	'update.edit': {
		ficheOrganisationIds: number[];
		updateOrganisationId: number | null;
		state: UpdateState;
	};
	'update.view': { ficheOrganisationIds: number[]; updateOrganisationId: number | null };
	'update.withdraw': {
		ficheOrganisationIds: number[];
		updateOrganisationId: number | null;
		state: UpdateState;
	};
	/**
	 * Discard a draft for good: `sent`, it was ever submitted to Lot numérique (withdrawn since, or
	 * returned), and is then part of the exchange with it.
	 */
	'update.discard': {
		ficheOrganisationIds: number[];
		updateOrganisationId: number | null;
		state: UpdateState;
		sent: boolean;
	};
	'update.review': { state: UpdateState };
	'queue.view': undefined;
	'users.manage': undefined;
	'audit.view': undefined;
	'account.own': undefined;
	'commission.manage': undefined;
	/**
	 * Read a séance's page: its record once closed (which anonymous visitors read too, without
	 * can()), else its members and staff.
	 */
	'commission.sitting.view': { closed: boolean };
	/** Read every organisation's state in a campaign on a fiche's file, not only one's own. */
	'campaigns.states.all': undefined;
	/** /sante's version and uptime (the operator's machine reads them without an account). */
	'health.details': undefined;
	'editions.manage': undefined;
	/** Edit the plan itself: fiches, indicators, organisations, structure (#16). */
	'plan.edit': undefined;
	/** See who made each revision of the plan (visitors see what and why, not who). */
	'plan.revisions.authors': undefined;
	/** Import the plan from a workbook (/admin/plan/import). */
	'plan.import': undefined;
	/** `convened`: its convocation has left, or the séance is held or closed (sittingConvened). */
	'commission.file.view': { ficheOrganisationIds: number[]; onAgenda: boolean; convened: boolean };
	'mail.view': undefined;
	/** « Réessayer maintenant » the messages waiting for a later attempt (/admin/courriels). */
	'mail.retry': undefined;
	'campaigns.manage': undefined;
}

export type Action = keyof Resources;

/** A 403 with no particular reason to tell, as the 403 page says it. */
export const FORBIDDEN_MESSAGE =
	'Vous n’avez pas les droits nécessaires pour accéder à cette page ou faire cette action.';

/** A partner's refusal on a fiche its organisation neither carries nor partners (403 page, service). */
export const NOT_THE_ORGANISATIONS_FICHE =
	'Votre organisation ne porte pas cette fiche et n’en est pas partenaire.';

/** A refusal's reason, and where to go next when the page can offer it (the 403 page's link). */
export interface RefusalWithNext {
	message: string;
	next?: { href: string; label: string };
}

/**
 * An administrator opening a fiche's update form (the syndicat's own fiches too, which Lot numérique
 * carries alone): administrators validate updates and do not write them (separation of duties).
 */
const ADMINS_VALIDATE_UPDATES: RefusalWithNext = {
	message:
		'Les administrateurs valident les mises à jour, ils ne les rédigent pas. Pour en rédiger une au nom d’une organisation, y compris du Syndicat mixte Lot numérique sur les fiches qu’il porte, un compte partenaire de cette organisation est nécessaire : invitez-en un depuis Administration › Comptes.',
	next: { href: '/admin/utilisateurs', label: 'Inviter un compte partenaire (Comptes)' }
};

/**
 * A partner whose organisation is neither owner nor partner of the fiche: most likely taken off it
 * while writing a new update, answered as a draft's save is (409, the typing kept), not by a 403.
 */
export function partnerOffFiche(actor: Actor, ficheOrganisationIds: number[]): boolean {
	return (
		actor.role === 'partenaire' &&
		actor.organisationId !== null &&
		!ficheOrganisationIds.includes(actor.organisationId)
	);
}

/**
 * Why `can` refuses, when the refusal has a reason to tell (a fiche the partner's organisation does
 * not carry, an administrator on an update's form, with its link onward); undefined otherwise (the
 * 403 page then says it generally). The 403 page and the service's refusal of a post say the same.
 */
export function refusalReason<A extends Action>(
	actor: Actor,
	action: A,
	resource?: Resources[A]
): RefusalWithNext | undefined {
	if (action !== 'update.create') return undefined;
	if (actor.role === 'admin') return ADMINS_VALIDATE_UPDATES;
	if (!resource) return undefined;
	const { ficheOrganisationIds } = resource as Resources['update.create'];
	return partnerOffFiche(actor, ficheOrganisationIds)
		? { message: NOT_THE_ORGANISATIONS_FICHE }
		: undefined;
}

/**
 * The one place that decides who may do what. Pure: no database, no request.
 * Anonymous visitors (null) may do nothing here; published pages need no permission.
 */
export function can<A extends Action>(
	actor: Actor | null,
	action: A,
	resource?: Resources[A]
): boolean {
	if (!actor) return false;
	const partnerOf = (ids: number[]) =>
		actor.role === 'partenaire' &&
		actor.organisationId !== null &&
		ids.includes(actor.organisationId);
	/** An update written by the actor's organisation (a partner's). */
	const ownOrganisation = (r: Resources['update.view'] | undefined) =>
		!!r &&
		actor.role === 'partenaire' &&
		actor.organisationId !== null &&
		r.updateOrganisationId === actor.organisationId;
	/** An update of the actor's organisation, on a fiche the organisation works on. */
	const ownUpdate = (r: Resources['update.view'] | undefined): r is Resources['update.view'] =>
		ownOrganisation(r) && partnerOf(r!.ficheOrganisationIds);
	switch (action) {
		case 'account.own':
			return true;
		case 'espace.enter':
			return actor.role === 'partenaire';
		case 'espace.view':
			return actor.role === 'partenaire' && actor.organisationId !== null;
		case 'update.create': {
			const r = resource as Resources['update.create'] | undefined;
			return !!r && partnerOf(r.ficheOrganisationIds);
		}
		case 'update.edit': {
			const r = resource as Resources['update.edit'] | undefined;
			return ownUpdate(r) && (r!.state === 'draft' || r!.state === 'returned');
		}
		// A partner reads every update of their organisation — on a fiche it no longer works on too:
		// what it wrote stays readable — and may take a submitted one back to draft, on a fiche it
		// works on, until staff have acted on it.
		case 'update.view':
			return ownOrganisation(resource as Resources['update.view'] | undefined);
		case 'update.withdraw': {
			const r = resource as Resources['update.withdraw'] | undefined;
			return ownUpdate(r) && r!.state === 'submitted';
		}
		// Only a draft never sent to Lot numérique: a returned update awaits its correction, and a
		// withdrawn one was submitted (the journal keeps it, a digest may have named it).
		case 'update.discard': {
			const r = resource as Resources['update.discard'] | undefined;
			return ownUpdate(r) && r!.state === 'draft' && !r!.sent;
		}
		case 'update.review': {
			const r = resource as Resources['update.review'] | undefined;
			return actor.role === 'admin' && !!r && r.state === 'submitted';
		}
		case 'commission.manage':
		case 'campaigns.states.all':
			return actor.role === 'commission' || actor.role === 'admin';
		case 'commission.sitting.view': {
			const r = resource as Resources['commission.sitting.view'] | undefined;
			return !!r && (r.closed || can(actor, 'commission.manage'));
		}
		case 'commission.file.view': {
			const r = resource as Resources['commission.file.view'] | undefined;
			if (!r || !r.onAgenda) return false;
			// A partner reads its fiche's file once convened, not while the séance is being prepared.
			return (
				actor.role === 'commission' ||
				actor.role === 'admin' ||
				(r.convened && partnerOf(r.ficheOrganisationIds))
			);
		}
		case 'queue.view':
		case 'mail.view':
		case 'mail.retry':
		case 'campaigns.manage':
		case 'editions.manage':
		case 'plan.edit':
		case 'plan.revisions.authors':
		case 'plan.import':
		case 'users.manage':
		case 'audit.view':
		case 'health.details':
			return actor.role === 'admin';
		default:
			return false;
	}
}

/** Whether a séance's agenda is out to the partners: its convocation has left, or it is held or closed. */
export function sittingConvened(sitting: { state: string; convenedAt: number | null }): boolean {
	return sitting.convenedAt !== null || sitting.state !== 'preparation';
}

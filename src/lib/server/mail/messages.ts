import {
	formatDate,
	formatSittingDay,
	formatSittingMoment,
	plural,
	pluralize
} from '../../utils/format';
import { elides, excerptAtWord, foldForMatching, ofName, sameWords } from '../../utils/text';
import {
	INVITATION_LIFETIME_WORDS,
	RELEVE_MAIL_DECISION_TEXT,
	RELEVE_MAIL_DECISIONS,
	RESET_LIFETIME_WORDS
} from '../../utils/rules';
import { ROLE_LABELS, ROLE_PURPOSES } from '../../utils/vocabulary';
import { linkPath } from './links';
import { absoluteUrl } from './outbox';
import type { MailParts } from './templates';
import type { Role, SittingFacts } from '../db/schema';

/**
 * The words of each message the portal sends. Notifications get their "how to stop" footer and
 * unsubscribe link from queueNotification; transactional messages say what to do if unexpected.
 */
export type Notification = Omit<MailParts, 'stop' | 'unsubscribeUrl' | 'preferencesUrl'>;

const hello = (name: string) => `Bonjour ${name},`;

/**
 * « écrivez à Lot numérique », from a no-reply address: where its contact is. The portal has no
 * contact address of its own setting; the legal notice's « Éditeur » gives the syndicat's.
 */
const writeToTeam = () =>
	`écrivez à Lot numérique (son adresse de contact est dans les mentions légales du portail : ${absoluteUrl('/mentions-legales')}) ; ce courriel part d’une adresse qui ne reçoit pas les réponses`;

/** A one-time link's token and when it stops working (ms since the epoch). */
export interface LinkToken {
	token: string;
	expiresAt: number;
}

export function invitationMail(
	user: { name: string; role: Role; organisationName: string | null },
	{ token, expiresAt }: LinkToken,
	invitedBy: string,
	/** The account already has a password: the link replaces it (« Renvoyer l’invitation »). */
	hasPassword = false
): MailParts {
	if (hasPassword)
		return {
			subject: 'Un lien pour choisir un nouveau mot de passe — portail de suivi du SDUSN du Lot',
			greeting: hello(user.name),
			paragraphs: [
				`${invitedBy}, de l’équipe de Lot numérique, vous envoie un lien pour choisir un nouveau mot de passe pour votre compte du portail de suivi du schéma des usages et services numériques du Lot.`,
				`Il sert une seule fois et reste valable ${INVITATION_LIFETIME_WORDS} ; l’utiliser remplace votre mot de passe actuel et ferme vos autres sessions.`
			],
			action: {
				label: 'Choisir un nouveau mot de passe',
				url: absoluteUrl(linkPath('invitation', token)),
				oneTimeLink: true,
				expiresAt
			},
			reason:
				'Vous recevez ce message parce que l’équipe de Lot numérique vous a renvoyé un lien d’accès.',
			stop: 'Ce message n’est envoyé qu’à la demande de l’équipe. Si vous ne l’attendiez pas, ignorez-le : votre mot de passe actuel reste valable.'
		};
	// « d’administrer le portail », « de rendre compte… ».
	const purpose = ROLE_PURPOSES[user.role];
	return {
		subject: 'Votre invitation au portail de suivi du SDUSN du Lot',
		greeting: hello(user.name),
		paragraphs: [
			`${invitedBy}, de l’équipe de Lot numérique, vous a créé un compte sur le portail de suivi du schéma des usages et services numériques du Lot${accountFor(user)}.`,
			`Votre rôle : ${ROLE_LABELS[user.role]} ; il vous permet ${elides(purpose) ? 'd’' : 'de '}${purpose}.`,
			`Choisissez votre mot de passe en suivant ce lien. Il sert une seule fois et reste valable ${INVITATION_LIFETIME_WORDS}.`
		],
		action: {
			label: 'Choisir mon mot de passe',
			url: absoluteUrl(linkPath('invitation', token)),
			oneTimeLink: true,
			expiresAt
		},
		reason:
			'Vous recevez ce message parce que l’équipe de Lot numérique a créé un compte à votre adresse.',
		stop: 'Ce message n’est envoyé qu’à la création du compte ou à la demande de l’équipe. Si vous ne l’attendiez pas, ignorez-le : aucun compte ne sera activé sans vous.'
	};
}

/**
 * Whom the account acts for, after « X, de l’équipe de Lot numérique, vous a créé un compte sur
 * le portail… »: a partner for their organisation; the team's members and the commission's for no
 * organisation of the plan, whatever name the account carries (ROLE_PURPOSES says what they do).
 */
function accountFor(user: { role: Role; organisationName: string | null }): string {
	if (user.role === 'partenaire')
		return user.organisationName ? `, pour ${user.organisationName}` : '';
	return user.role === 'admin'
		? ', comme membre de cette équipe'
		: ', comme membre de la commission des usages numériques';
}

export function passwordResetMail(
	user: { name: string },
	{ token, expiresAt }: LinkToken
): MailParts {
	return {
		subject: 'Nouveau mot de passe pour le portail de suivi du SDUSN du Lot',
		greeting: hello(user.name),
		paragraphs: [
			'Quelqu’un (probablement vous) a demandé à changer le mot de passe de votre compte.',
			`Choisissez-en un nouveau en suivant ce lien. Il sert une seule fois et reste valable ${RESET_LIFETIME_WORDS} ; l’utiliser ferme toutes vos autres sessions.`
		],
		action: {
			label: 'Choisir un nouveau mot de passe',
			url: absoluteUrl(linkPath('passwordReset', token)),
			oneTimeLink: true,
			expiresAt
		},
		reason:
			'Vous recevez ce message parce qu’une demande de nouveau mot de passe a été faite pour votre adresse.',
		stop: 'Ce message n’est envoyé qu’à la demande. Si vous n’avez rien demandé, ignorez-le : votre mot de passe actuel reste valable.'
	};
}

export function submissionsDigest(
	user: { name: string },
	updates: { fiche: string; ficheTitle: string; organisation: string; id: number }[]
): Notification {
	return {
		subject: `${pluralize(updates.length, 'mise à jour', 'mises à jour')} à valider`,
		greeting: hello(user.name),
		paragraphs: [
			plural(
				updates.length,
				'Une mise à jour a été soumise et attend votre validation :',
				`${pluralize(updates.length, 'mise à jour', 'mises à jour')} ont été soumises et attendent votre validation :`
			)
		],
		items: updates.map((u) => ({
			text: `Fiche ${u.fiche} « ${u.ficheTitle} » — ${u.organisation}`,
			url: absoluteUrl(`/admin/suivis/${u.id}`)
		})),
		action: { label: 'Voir les mises à jour à valider', url: absoluteUrl('/admin/suivis') },
		reason: 'Vous recevez ce résumé (au plus un par heure) parce que vous administrez le portail.'
	};
}

export function reviewMail(
	user: { name: string },
	review: {
		decision: 'validate' | 'return';
		fiche: string;
		ficheTitle: string;
		comment: string;
		updateId: number;
		/** Its organisation still carries or partners the fiche (a returned update is resumed). */
		carried: boolean;
	}
): Notification {
	const validated = review.decision === 'validate';
	const resumable = validated || review.carried;
	return {
		subject: validated
			? `Mise à jour validée : fiche ${review.fiche}`
			: `Mise à jour renvoyée : fiche ${review.fiche}`,
		greeting: hello(user.name),
		paragraphs: [
			validated
				? `La mise à jour de votre organisation sur la fiche ${review.fiche} « ${review.ficheTitle} » a été validée par Lot numérique ; elle est maintenant publiée.`
				: `La mise à jour de votre organisation sur la fiche ${review.fiche} « ${review.ficheTitle} » vous est renvoyée par Lot numérique pour être complétée.`,
			...(review.comment ? [`Commentaire : ${review.comment}`] : []),
			...(resumable
				? []
				: [
						`Votre organisation ne porte plus cette fiche et n’en est plus partenaire : cette mise à jour reste lisible dans votre espace, mais ne peut plus être reprise. Si elle doit l’être, ${writeToTeam()}.`
					])
		],
		action: validated
			? { label: 'Voir la fiche', url: absoluteUrl(`/fiches/${review.fiche}`) }
			: {
					label: resumable ? 'Reprendre la mise à jour' : 'Voir la mise à jour',
					url: absoluteUrl(`/espace/suivis/${review.updateId}`)
				},
		reason: 'Vous recevez ce message parce que votre organisation a soumis cette mise à jour.'
	};
}

/**
 * To the people of an organisation whose published values another organisation's validated update
 * replaced (one published value per indicator and day): which, by whose, and a link to their own
 * update, whose page shows them replaced. `values`: « « Nombre » au 1er juin 2026 : 12 → 15 ».
 */
export function replacedValuesMail(
	user: { name: string },
	notice: {
		fiche: string;
		ficheTitle: string;
		/** The organisation whose update replaced them; null when it has no name to say. */
		by: string | null;
		values: string[];
		/** The update of the recipient's organisation that published them. */
		updateId: number;
	}
): Notification {
	const one = notice.values.length === 1;
	const by = notice.by ?? 'une autre organisation';
	// « celle de SDAIL », « celle d’ARS », « celle d’une autre organisation ».
	const ofBy = ofName(by);
	return {
		subject: `${one ? 'Valeur remplacée' : 'Valeurs remplacées'} par ${by} : fiche ${notice.fiche}`,
		greeting: hello(user.name),
		paragraphs: [
			`${one ? 'Une valeur publiée' : 'Des valeurs publiées'} par votre organisation sur la fiche ${notice.fiche} « ${notice.ficheTitle} » ${one ? 'a été remplacée' : 'ont été remplacées'} par celle ${ofBy} : Lot numérique a validé une mise à jour ${ofBy} qui donne une autre valeur pour le même indicateur et le même jour (une seule valeur est publiée par indicateur et par jour). La valeur de votre organisation, puis celle ${ofBy} :`,
			...notice.values,
			`Votre mise à jour la montre désormais remplacée. Si la valeur de votre organisation était la bonne, ${writeToTeam()}.`
		],
		action: {
			label: 'Voir votre mise à jour',
			url: absoluteUrl(`/espace/suivis/${notice.updateId}`)
		},
		reason: `Vous recevez ce message parce que votre organisation a publié ${one ? 'cette valeur' : 'ces valeurs'}.`
	};
}

/**
 * What a convocation sent again says of fiches that left the agenda or joined it (`one`, `many`:
 * « n’est plus », « est désormais »…): a partner reads of their organisation's only.
 */
function agendaMoves(
	fiches: { code: string; title: string }[],
	member: boolean,
	one: string,
	many: string
): string[] {
	if (fiches.length === 0) return [];
	const listed = fiches.map((f) => `${f.code} — ${f.title}`).join(' ; ');
	return [
		fiches.length === 1
			? `La fiche ${listed} ${one} à l’ordre du jour.`
			: `Ces fiches${member ? '' : ' de votre organisation'} ${many} à l’ordre du jour : ${listed}.`
	];
}

/**
 * A convocation. `earlier`: the séance as the previous convocation announced it, when one was
 * sent: this one says what changed (day, time, place, title, agenda) and that it replaces
 * it, so that nobody keeps two convocations to two days without knowing which holds.
 */
export function sittingConvenedMail(
	user: { name: string },
	sitting: SittingFacts & { id: number },
	agenda: { code: string | null; title: string }[],
	member: boolean,
	/**
	 * The convocation it replaces: what it announced, which of the séance's facts differ from it
	 * now (`sittingChangedSince`), and whether the agenda changed since.
	 */
	earlier:
		| (SittingFacts & {
				changed: readonly (keyof SittingFacts)[];
				/** Null: not known (a convocation sent before its agenda was recorded). */
				agendaChanged: boolean | null;
		  })
		| null = null,
	/**
	 * The fiches the earlier convocation announced that are no longer on the agenda (a partner's:
	 * theirs only), and those on it since.
	 */
	left: { code: string; title: string }[] = [],
	joined: { code: string; title: string }[] = [],
	/** Those still on it moved to another objective since: the same fiche under a new code. */
	recoded: { codeThen: string; code: string; title: string }[] = []
): Notification {
	const changed = (fact: keyof SittingFacts) => earlier?.changed.includes(fact) ?? false;
	const moved = changed('heldOn') || changed('startsAt');
	const elsewhere = changed('place');
	const retitled = changed('title');
	// Every change told, the agenda's last: « La séance … est déplacée ; son intitulé devient … ».
	const told = [
		moved
			? `la séance prévue ${formatSittingMoment(earlier!)} (${earlier!.place}) est déplacée`
			: '',
		elsewhere && !moved ? `la séance change de lieu (elle était prévue à ${earlier!.place})` : '',
		elsewhere && moved ? `elle se tient désormais à ${sitting.place}` : '',
		retitled ? `son intitulé devient « ${sitting.title} » (il était « ${earlier!.title} »)` : '',
		earlier?.agendaChanged === true && (moved || elsewhere || retitled)
			? 'l’ordre du jour a changé'
			: ''
	]
		.filter(Boolean)
		.join(' ; ');
	const change = !earlier
		? null
		: told
			? `${told.charAt(0).toUpperCase()}${told.slice(1)} : cette convocation remplace la précédente.`
			: earlier.agendaChanged === true
				? 'L’ordre du jour a changé depuis la précédente convocation, que celle-ci remplace.'
				: 'Cette convocation remplace la précédente.';
	return {
		subject: `Commission des usages numériques : séance du ${formatDate(sitting.heldOn)}${changed('heldOn') ? ' (nouvelle date)' : moved ? ' (nouvelle heure)' : elsewhere ? ' (nouveau lieu)' : retitled ? ' (nouvel intitulé)' : earlier ? ' (convocation mise à jour)' : ''}`,
		greeting: hello(user.name),
		paragraphs: [
			...(change ? [change] : []),
			...agendaMoves(left, member, 'n’est plus', 'ne sont plus'),
			...agendaMoves(joined, member, 'est désormais', 'sont désormais'),
			...recoded.map(
				(f) => `La fiche ${f.codeThen} — ${f.title} est devenue ${f.code} (changement d’objectif).`
			),
			convenedLine(sitting),
			member
				? 'L’ordre du jour, avec le dossier d’examen de chaque fiche :'
				: plural(
						agenda.length,
						'Une fiche de votre organisation est à l’ordre du jour, avec son dossier d’examen :',
						'Des fiches de votre organisation sont à l’ordre du jour, avec leur dossier d’examen :'
					)
		],
		items: agenda.map((a) =>
			a.code === null
				? { text: a.title }
				: {
						text: `${a.code} — ${a.title}`,
						url: absoluteUrl(`/commission/seances/${sitting.id}/fiches/${a.code}`)
					}
		),
		// The sitting's page is for members and staff until it is closed: a partner follows the
		// dossiers above, and reads the relevé once published.
		...(member
			? {
					action: {
						label: 'Voir la séance',
						url: absoluteUrl(`/commission/seances/${sitting.id}`)
					}
				}
			: {}),
		reason: sittingMailReason(member, agenda.length, 'now')
	};
}

/**
 * Why a member or a partner receives a séance's convocation (`now`) or its relevé (`then`): a
 * partner is counted the fiches of their organisation on its agenda, as the message's body does.
 */
const sittingMailReason = (member: boolean, fiches: number, when: 'now' | 'then') =>
	member
		? 'Vous recevez ce message parce que vous êtes membre de la commission.'
		: `Vous recevez ce message parce ${plural(
				fiches,
				`qu’une fiche de votre organisation ${when === 'now' ? 'est' : 'était'}`,
				`que des fiches de votre organisation ${when === 'now' ? 'sont' : 'étaient'}`
			)} à l’ordre du jour.`;

const COMMISSION = 'Commission des usages numériques';

/**
 * A séance as the cancellation, release and relevé name it: by its title, then the commission's
 * name unless the title already says it, which would then be named twice (« La séance
 * « Commission des usages numériques — revue annuelle 2026 » de la commission des usages
 * numériques »); a title that is only the commission's name (the form's usual title) is left out.
 */
const sittingNamed = (title: string) =>
	sameWords(title, COMMISSION)
		? 'séance de la commission des usages numériques'
		: namesCommission(title)
			? `séance « ${title} »`
			: `séance « ${title} » de la commission des usages numériques`;

/** A title that holds the commission's name among its words (« … — revue annuelle 2026 »). */
const namesCommission = (title: string) =>
	` ${foldForMatching(title)} `.includes(` ${foldForMatching(COMMISSION)} `);

/**
 * The convocation's line of when and where: the commission meets, then the séance's title, unless
 * it names the commission already, which would then be named twice (« La commission des usages
 * numériques se réunit … : « Commission des usages numériques — revue annuelle 2026 » »).
 */
function convenedLine(sitting: SittingFacts): string {
	const when = `${formatSittingMoment(sitting)} (${sitting.place})`;
	if (sameWords(sitting.title, COMMISSION))
		return `La commission des usages numériques se réunit ${when}.`;
	if (namesCommission(sitting.title)) return `La séance « ${sitting.title} » se tient ${when}.`;
	return `La commission des usages numériques se réunit ${when} : « ${sitting.title} ».`;
}

export function sittingCancelledMail(user: { name: string }, sitting: SittingFacts): Notification {
	return {
		subject: `Séance du ${formatDate(sitting.heldOn)} annulée — commission des usages numériques`,
		greeting: hello(user.name),
		paragraphs: [
			`La ${sittingNamed(sitting.title)}, prévue ${formatSittingMoment(sitting)} (${sitting.place}) et annoncée par sa convocation, est annulée.`,
			'Les liens de sa convocation ne mènent plus nulle part. Une nouvelle convocation vous parviendra si une autre séance est prévue.'
		],
		reason:
			'Vous recevez ce message parce que cette séance vous avait été annoncée par sa convocation.'
	};
}

/** To a partner convened before whose fiches have all left the séance's agenda. */
export function sittingReleasedMail(user: { name: string }, sitting: SittingFacts): Notification {
	return {
		subject: `Séance du ${formatDate(sitting.heldOn)} : vos fiches ne sont plus à l’ordre du jour — commission des usages numériques`,
		greeting: hello(user.name),
		paragraphs: [
			`L’ordre du jour de la ${sittingNamed(sitting.title)}, ${formatSittingMoment(sitting)} (${sitting.place}), ne comprend plus de fiche de votre organisation : la convocation que vous aviez reçue ne vaut plus, et ses liens ne mènent plus aux dossiers.`,
			'Une nouvelle convocation vous parviendra si une fiche de votre organisation est inscrite à une séance.'
		],
		reason:
			'Vous recevez ce message parce que cette séance vous avait été annoncée par sa convocation.'
	};
}

/**
 * A decision of a relevé as its mail lists it: its fiche (or free point), decisionLabel and its
 * text, which the mail quotes (its beginning when long), as the relevé gives it beside the label.
 */
export interface ClosedDecision {
	/** The fiche's id, to tell a partner's fiches; its code. Null for a free point. */
	ficheId: number | null;
	fiche: string | null;
	title: string;
	label: string;
	text: string;
}

const decisionLine = (d: ClosedDecision) => {
	const text = d.text.replace(/\s+/g, ' ').trim();
	return `${d.fiche === null ? d.title : `${d.fiche} — ${d.title}`} : ${d.label}${text ? ` — « ${excerptAtWord(text, RELEVE_MAIL_DECISION_TEXT)} »` : ''}`;
};

/**
 * The relevé's mail: its decisions (the first RELEVE_MAIL_DECISIONS, the others counted), so that a
 * partner reads at once what changed for their fiches — a partner's mail lists those on its
 * organisation's fiches (`fiches`: their ids on the agenda), or says there are none, and counts the
 * others, which the relevé linked below gives; and, when the séance was held on another day than
 * its last convocation announced (`announcedOn`: its date corrected without convening again), both
 * days, so that no one is sent the record of a séance on a day they never heard of.
 */
export function sittingClosedMail(
	user: { name: string },
	sitting: Pick<SittingFacts, 'title' | 'heldOn' | 'startsAt'> & {
		id: number;
		announcedOn: string | null;
		decisions: ClosedDecision[];
	},
	/** A partner's fiches on the agenda; null for a member of the commission. */
	fiches: ReadonlySet<number> | null
): Notification {
	const day = formatDate(sitting.heldOn);
	const { decisions, announcedOn } = sitting;
	const shown =
		fiches === null
			? decisions
			: decisions.filter((d) => d.ficheId !== null && fiches.has(d.ficheId));
	const listed = shown.slice(0, RELEVE_MAIL_DECISIONS);
	const others = decisions.length - listed.length;
	return {
		// With its hour when it had one: two séances of a day, two subjects.
		subject: `Relevé de décisions de la séance du ${formatSittingDay(sitting)}${announcedOn ? ` (convoquée pour le ${formatDate(announcedOn)})` : ''}`,
		greeting: hello(user.name),
		paragraphs: [
			`La ${sittingNamed(sitting.title)} du ${day} est close ; son relevé de décisions est publié.`,
			...(announcedOn
				? [
						`Sa convocation l’annonçait pour le ${formatDate(announcedOn)} ; elle s’est tenue le ${day}.`
					]
				: []),
			closedDecisionsLead(decisions.length, fiches === null ? null : shown.length)
		],
		items: [
			...listed.map((d) => ({ text: decisionLine(d) })),
			...(others > 0
				? [
						{
							text: `${listed.length > 0 ? 'et ' : ''}${listed.length > 0 ? pluralize(others, 'autre décision', 'autres décisions') : pluralize(others, 'décision', 'décisions')} dans le relevé`
						}
					]
				: [])
		],
		action: { label: 'Lire le relevé', url: absoluteUrl(`/commission/seances/${sitting.id}`) },
		reason: sittingMailReason(fiches === null, fiches?.size ?? 0, 'then')
	};
}

/** The sentence above the relevé's decisions: all of them, or a partner's (`own`: how many). */
function closedDecisionsLead(all: number, own: number | null): string {
	if (all === 0) return 'Elle n’a pris aucune décision.';
	if (own === null) return plural(all, 'Sa décision :', 'Ses décisions :');
	if (own === 0) return 'Aucune décision ne porte sur les fiches de votre organisation.';
	return plural(
		own,
		'Sa décision sur une fiche de votre organisation :',
		'Ses décisions sur les fiches de votre organisation :'
	);
}

/** A campaign's fiches as its messages name them: « cette fiche » for one, « ces fiches » for more. */
const theseFiches = (fiches: readonly unknown[]) =>
	plural(fiches.length, 'cette fiche', 'ces fiches');

const campaignMailReason = (fiches: readonly unknown[]) =>
	`Vous recevez ce message parce que votre organisation porte ${theseFiches(fiches)} ou en est partenaire.`;

/** A campaign's fiches in its messages, each linked to its follow-up page in the workspace. */
const campaignFicheItems = (fiches: { code: string; title: string }[]) =>
	fiches.map((f) => ({
		text: `${f.code} — ${f.title}`,
		url: absoluteUrl(`/espace/fiches/${f.code}/suivi`)
	}));

/** What a reminder says of its fiches: not yet submitted, or returned to be completed. */
const stillAwaited = (fiches: readonly unknown[]) =>
	`Lot numérique attend encore de votre organisation une mise à jour de ${theseFiches(fiches)} (à soumettre, ou à compléter si elle vous a été renvoyée)`;

export function campaignMail(
	user: { name: string },
	campaign: { title: string; deadline: string },
	fiches: { code: string; title: string }[],
	reminder: number | null
): Notification {
	const deadline = formatDate(campaign.deadline);
	const lead =
		reminder === null
			? `Lot numérique ouvre la campagne de suivi « ${campaign.title} ». Merci de soumettre une mise à jour de ${plural(fiches.length, 'cette fiche', 'chacune de ces fiches')} au plus tard le ${deadline} :`
			: reminder <= 0
				? `Rappel : la campagne « ${campaign.title} » se termine le ${deadline}. ${stillAwaited(fiches)} :`
				: `L’échéance de la campagne « ${campaign.title} » était le ${deadline} ; la campagne reste ouverte. ${stillAwaited(fiches)} ; il est encore temps :`;
	return {
		// A reminder after the deadline says so from its subject: in a list, it is no copy of the
		// reminders before it.
		subject:
			reminder === null
				? `Campagne de suivi « ${campaign.title} » : au plus tard le ${deadline}`
				: reminder <= 0
					? `Rappel : campagne de suivi « ${campaign.title} » (échéance le ${deadline})`
					: `Rappel après l’échéance : campagne de suivi « ${campaign.title} » (échéance passée le ${deadline}, encore ouverte)`,
		greeting: hello(user.name),
		paragraphs: [lead],
		items: campaignFicheItems(fiches),
		action: { label: 'Ouvrir mon espace', url: absoluteUrl('/espace') },
		reason: campaignMailReason(fiches)
	};
}

/**
 * An open campaign's deadline changed (its séance moved): to an organisation still missing an
 * answer, the new deadline and its fiches still to update.
 */
export function campaignDeadlineMail(
	user: { name: string },
	campaign: { title: string; deadline: string },
	previousDeadline: string,
	fiches: { code: string; title: string }[]
): Notification {
	const deadline = formatDate(campaign.deadline);
	const moved = campaign.deadline > previousDeadline ? 'reportée' : 'avancée';
	return {
		subject: `Campagne de suivi « ${campaign.title} » : échéance ${moved} au ${deadline}`,
		greeting: hello(user.name),
		paragraphs: [
			`L’échéance de la campagne de suivi « ${campaign.title} » est ${moved} du ${formatDate(previousDeadline)} au ${deadline}. ${stillAwaited(fiches)}, au plus tard le ${deadline} :`
		],
		items: campaignFicheItems(fiches),
		action: { label: 'Ouvrir mon espace', url: absoluteUrl('/espace') },
		reason: campaignMailReason(fiches)
	};
}

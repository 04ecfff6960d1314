export const FICHE_STATUSES = [
	'a_lancer',
	'en_cours',
	'realisee',
	'suspendue',
	'abandonnee'
] as const;

export type FicheStatus = (typeof FICHE_STATUSES)[number];

export const STATUS_LABELS: Record<FicheStatus, string> = {
	a_lancer: 'À lancer',
	en_cours: 'En cours',
	realisee: 'Réalisée',
	suspendue: 'Suspendue',
	abandonnee: 'Abandonnée'
};

export function isFicheStatus(value: string): value is FicheStatus {
	return (FICHE_STATUSES as readonly string[]).includes(value);
}

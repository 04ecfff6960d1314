export const ROLE_LABELS = {
	admin: 'Équipe de Lot numérique (administration)',
	commission: 'Membre de la commission des usages numériques',
	partenaire: 'Partenaire'
} as const;

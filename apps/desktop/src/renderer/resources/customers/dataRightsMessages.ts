/**
 * Texts of the customer's data rights (export, erasure; ADR 0049), under `mcart.customers.*`. Until they are
 * merged into i18n/en.ts and i18n/fr.ts (`customers: { ...dataRightsMessages.en, ... }`), the English ones
 * are the fallback of every key (`t` below).
 */
export const dataRightsMessages = {
  en: {
    export_data: 'Export data',
    exported: 'Personal data exported',
    erase: 'Erase personal data',
    erase_title: 'Erase the personal data of %{name}?',
    erase_account:
      'The account is deleted for good: profile, phone, addresses, sign-in methods (password, social accounts) and sessions. The customer is signed out everywhere and cannot sign in again; the e-mail address may be used for a new account.',
    erase_orders:
      'Orders are kept for the accounts and tax records, without the person: the e-mail address is replaced by a placeholder and the shipping address by its country only.',
    erase_mail:
      'A confirmation is e-mailed to the customer. This cannot be undone: export the data first if the customer asked for a copy.',
    erase_understood: 'I understand that this cannot be undone',
    erase_confirm: 'Erase',
    erase_blocked:
      'These orders are not finished yet. The shop still needs the address to deliver them: erase once they are delivered, cancelled or refunded.',
    erased: 'Personal data erased; %{orders} order(s) kept without the person',
  },
  fr: {
    export_data: 'Exporter les données',
    exported: 'Données personnelles exportées',
    erase: 'Effacer les données personnelles',
    erase_title: 'Effacer les données personnelles de %{name} ?',
    erase_account:
      'Le compte est supprimé définitivement : profil, téléphone, adresses, moyens de connexion (mot de passe, comptes sociaux) et sessions. Le client est déconnecté partout et ne peut plus se connecter ; l’adresse e-mail peut servir à un nouveau compte.',
    erase_orders:
      'Les commandes sont conservées pour la comptabilité et les obligations fiscales, sans la personne : l’adresse e-mail est remplacée par une adresse fictive et l’adresse de livraison par son seul pays.',
    erase_mail:
      'Une confirmation est envoyée par e-mail au client. C’est irréversible : exportez d’abord les données si le client en a demandé une copie.',
    erase_understood: 'Je comprends que c’est irréversible',
    erase_confirm: 'Effacer',
    erase_blocked:
      'Ces commandes ne sont pas terminées. La boutique a encore besoin de l’adresse pour les livrer : effacez une fois qu’elles sont livrées, annulées ou remboursées.',
    erased: 'Données personnelles effacées ; %{orders} commande(s) conservée(s) sans la personne',
  },
} as const;

export type DataRightsKey = keyof (typeof dataRightsMessages)['en'];

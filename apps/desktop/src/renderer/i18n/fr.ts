import frenchMessages from 'ra-language-french';
import type { Messages } from './en.ts';

export const mcartFr: Messages = {
  mcart: {
    app: { title: 'MCart back-office' },
    menu: {
      dashboard: 'Tableau de bord',
      sales: 'Ventes',
      catalog: 'Catalogue',
      stock: 'Stock',
      warehouse: 'Entrepôt',
      customers: 'Clients',
      settings: 'Paramètres',
      connection: 'Connexion au serveur',
    },
    auth: {
      email: 'E-mail',
      password: 'Mot de passe',
      invalid_credentials: 'E-mail ou mot de passe incorrect',
      too_many_attempts: 'Trop de tentatives de connexion. Patientez un instant puis réessayez.',
    },
    error: {
      network: 'Le serveur est injoignable. Vérifiez la connexion et l’adresse du serveur.',
    },
    dashboard: {
      title: 'Tableau de bord',
      server: 'Serveur',
      server_address: 'Adresse',
      same_origin: 'Ce site',
      ready: 'Disponibilité',
      health: 'Fonctionnement',
      status_ready: 'Prêt',
      status_not_ready: 'Pas prêt (base de données injoignable ou migrations en attente)',
      status_up: 'En marche',
      status_down: 'Ne répond pas',
      status_checking: 'Vérification…',
      checked_at: 'Vérifié à %{time}',
      refresh: 'Vérifier à nouveau',
      signed_in_as: 'Connecté en tant que',
      email: 'E-mail',
      role: 'Rôle',
      app: 'Application',
      version: 'Version %{version} (Electron %{electron})',
    },
    role: {
      owner: 'Propriétaire',
      admin: 'Administrateur',
      manager: 'Responsable',
      warehouse: 'Entrepôt',
      support: 'Support',
    },
    server: {
      title: 'Connexion au serveur',
      intro: 'Saisissez l’adresse du serveur MCart, par exemple https://boutique.example.com:8443',
      address: 'Adresse du serveur',
      current: 'Connecté à %{origin}',
      change: 'Changer de serveur',
      connect: 'Se connecter',
      cancel: 'Annuler',
      checking: 'Vérification du certificat du serveur…',
      invalid: 'Cette adresse https n’est pas valide',
      insecure: 'Le http simple n’est autorisé que pour un serveur sur cet ordinateur',
      unreachable: 'Pas de réponse de %{origin} : %{reason}',
      untrusted_title: 'Certificat inconnu',
      untrusted_intro:
        'Le serveur présente un certificat que cet ordinateur ne reconnaît pas (le serveur intégré crée le sien). Ne lui faites confiance que si son empreinte correspond à celle affichée au démarrage du serveur.',
      fingerprint: 'Empreinte SHA-256',
      subject: 'Sujet',
      issuer: 'Émetteur',
      valid_to: 'Valide jusqu’au',
      trust: 'Faire confiance et se connecter',
    },
  },
};

export const fr = { ...frenchMessages, ...mcartFr };

import englishMessages from 'ra-language-english';

/** Every text the app shows, by key. fr.ts must provide the same keys (checked by its type). */
export const mcartEn = {
  mcart: {
    app: { title: 'MCart back-office' },
    menu: {
      dashboard: 'Dashboard',
      sales: 'Sales',
      catalog: 'Catalog',
      stock: 'Stock',
      warehouse: 'Warehouse',
      customers: 'Customers',
      settings: 'Settings',
      connection: 'Server connection',
    },
    auth: {
      email: 'Email',
      password: 'Password',
      invalid_credentials: 'Wrong email or password',
      too_many_attempts: 'Too many sign-in attempts. Wait a moment and try again.',
    },
    error: {
      network: 'The server cannot be reached. Check the connection and the server address.',
    },
    dashboard: {
      title: 'Dashboard',
      server: 'Server',
      server_address: 'Address',
      same_origin: 'This site',
      ready: 'Readiness',
      health: 'Liveness',
      status_ready: 'Ready',
      status_not_ready: 'Not ready (database unreachable or migrations pending)',
      status_up: 'Running',
      status_down: 'Not responding',
      status_checking: 'Checking…',
      checked_at: 'Checked at %{time}',
      refresh: 'Check again',
      signed_in_as: 'Signed in as',
      email: 'Email',
      role: 'Role',
      app: 'Application',
      version: 'Version %{version} (Electron %{electron})',
    },
    role: {
      owner: 'Owner',
      admin: 'Administrator',
      manager: 'Manager',
      warehouse: 'Warehouse',
      support: 'Support',
    },
    server: {
      title: 'Server connection',
      intro: 'Enter the address of the MCart server, for example https://shop.example.com:8443',
      address: 'Server address',
      current: 'Connected to %{origin}',
      change: 'Change server',
      connect: 'Connect',
      cancel: 'Cancel',
      checking: 'Checking the server certificate…',
      invalid: 'This is not a valid https address',
      insecure: 'Plain http is only allowed for a server on this computer',
      unreachable: 'No answer from %{origin}: %{reason}',
      untrusted_title: 'Unknown certificate',
      untrusted_intro:
        'The server presents a certificate this computer does not trust (the embedded server creates its own). Trust it only if its fingerprint matches the one the server printed when it started.',
      fingerprint: 'SHA-256 fingerprint',
      subject: 'Subject',
      issuer: 'Issuer',
      valid_to: 'Valid until',
      trust: 'Trust and connect',
    },
  },
};

export type Messages = typeof mcartEn;

export const en = { ...englishMessages, ...mcartEn };

import { describe, expect, it } from 'vitest';
import { createBrowserTokenStore, createDesktopTokenStore } from './tokenStore.ts';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

describe('browser token store', () => {
  it('keeps the session across a page reload of the same tab', () => {
    const storage = memoryStorage();
    createBrowserTokenStore(storage).set({ accessToken: 'a', refreshToken: 'r' });
    expect(createBrowserTokenStore(storage).get()).toEqual({ accessToken: 'a', refreshToken: 'r' });
  });

  it('forgets the session on clear', () => {
    const storage = memoryStorage();
    const store = createBrowserTokenStore(storage);
    store.set({ accessToken: 'a', refreshToken: 'r' });
    store.clear();
    expect(store.get()).toBeNull();
    expect(createBrowserTokenStore(storage).get()).toBeNull();
  });

  it('ignores tampered storage and still works when storage is unavailable', () => {
    const storage = memoryStorage();
    storage.setItem('mcart.admin.session', '{"accessToken": 1}');
    expect(createBrowserTokenStore(storage).get()).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    };
    const store = createBrowserTokenStore(throwing);
    store.set({ accessToken: 'a', refreshToken: 'r' });
    expect(store.get()).toEqual({ accessToken: 'a', refreshToken: 'r' });
  });
});

describe('desktop token store', () => {
  it('starts from the saved session and hands every change to the main process', async () => {
    const saved: unknown[] = [];
    let cleared = 0;
    const store = createDesktopTokenStore(
      {
        saveSession: async (session) => {
          saved.push(session);
          return true;
        },
        clearSession: async () => {
          cleared++;
        },
      },
      { accessToken: 'a1', refreshToken: 'r1' },
    );
    expect(store.get()).toEqual({ accessToken: 'a1', refreshToken: 'r1' });
    store.set({ accessToken: 'a2', refreshToken: 'r2' });
    expect(store.get()).toEqual({ accessToken: 'a2', refreshToken: 'r2' });
    store.clear();
    expect(store.get()).toBeNull();
    await flush();
    expect(saved).toEqual([{ accessToken: 'a2', refreshToken: 'r2' }]);
    expect(cleared).toBe(1);
  });

  it('hands saves and clears to the main process one at a time, in order', async () => {
    // A main process that finishes a quick clear before a slow save: unordered calls would leave
    // the refreshed session on disk after the logout.
    let disk: unknown = 'a1/r1';
    const calls: string[] = [];
    let finishSave!: () => void;
    const store = createDesktopTokenStore(
      {
        saveSession: async (session) => {
          calls.push('save:start');
          await new Promise<void>((resolve) => (finishSave = resolve));
          disk = `${session.accessToken}/${session.refreshToken}`;
          calls.push('save:end');
          return true;
        },
        clearSession: async () => {
          calls.push('clear');
          disk = null;
        },
      },
      { accessToken: 'a1', refreshToken: 'r1' },
    );
    store.set({ accessToken: 'a2', refreshToken: 'r2' }); // token refresh
    store.clear(); // logout
    await flush();
    expect(calls).toEqual(['save:start']);
    finishSave();
    await flush();
    expect(calls).toEqual(['save:start', 'save:end', 'clear']);
    expect(disk).toBeNull();
    expect(store.get()).toBeNull();
  });

  it('keeps going after the main process refused a write', async () => {
    const calls: string[] = [];
    const store = createDesktopTokenStore(
      {
        saveSession: async () => {
          calls.push('save');
          throw new Error('Refused session:save from an untrusted frame');
        },
        clearSession: async () => {
          calls.push('clear');
        },
      },
      null,
    );
    store.set({ accessToken: 'a', refreshToken: 'r' });
    store.clear();
    await flush();
    expect(calls).toEqual(['save', 'clear']);
  });
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

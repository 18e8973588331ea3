/** DATABASE_READ_URL (server/kernel/config.ts): optional, a PostgreSQL URL, and only beside DATABASE_URL. */
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARS, loadConfig } from '../../server/kernel/config.ts';

const PRIMARY = 'postgres://iab_app@db:5432/iab';
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('DATABASE_READ_URL', () => {
  it('is unset by default: reads use the main database', () => {
    expect(loadConfig({ DATABASE_URL: PRIMARY }).databaseReadUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: '' }).databaseReadUrl).toBeUndefined();
  });

  it('takes a postgres:// or postgresql:// URL beside DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'postgres://iab_app@replica:5432/iab' }).databaseReadUrl).toBe('postgres://iab_app@replica:5432/iab');
    expect(loadConfig({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'postgresql://replica/iab' }).databaseReadUrl).toBe('postgresql://replica/iab');
  });

  it('refuses a value that is not a PostgreSQL URL, naming the variable', () => {
    expect(problems({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'replica:5432' }).join('\n')).toMatch(/DATABASE_READ_URL must start with postgres:\/\//);
    expect(problems({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'not a url' }).join('\n')).toMatch(/DATABASE_READ_URL is not a valid URL/);
    expect(problems({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'mysql://replica/iab' }).join('\n')).toMatch(/DATABASE_READ_URL must start with postgres:\/\//);
  });

  it('refuses a replica without DATABASE_URL: the embedded database has none', () => {
    expect(problems({ DATABASE_READ_URL: 'postgres://replica/iab' }).join('\n')).toMatch(/DATABASE_READ_URL needs DATABASE_URL/);
  });

  it('is listed with the other variables', () => {
    expect(ENV_VARS.DATABASE_READ_URL).toMatch(/read replica/);
  });
});

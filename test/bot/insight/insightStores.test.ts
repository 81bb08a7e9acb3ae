import { PostgresInsightStore } from '../../../bot/insight/postgresInsightStore';
import { SqliteInsightStore } from '../../../bot/insight/sqliteInsightStore';
import { usePostgres } from '../../helpers/postgres';
import { insightStoreContract } from './insightStore.contract';

insightStoreContract('SqliteInsightStore', async () => {
    const store = new SqliteInsightStore(':memory:');
    return { store, cleanup: () => store.close() };
});

describe('PostgreSQL', () => {
    const { freshSchema } = usePostgres('insight');
    insightStoreContract('PostgresInsightStore', async () => {
        const schema = await freshSchema();
        const store = await PostgresInsightStore.create(schema.url);
        return {
            store,
            cleanup: async () => {
                await store.close();
                await schema.drop();
            },
        };
    });
});

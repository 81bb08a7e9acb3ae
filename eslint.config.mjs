import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/**', 'data/**', 'node_modules/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
        },
    },
    {
        // The console's script runs in the browser as a classic script, with no build step.
        files: ['web/**/*.js'],
        languageOptions: {
            sourceType: 'script',
            globals: Object.fromEntries(
                ['window', 'document', 'fetch', 'EventSource', 'DOMParser', 'FormData', 'URL', 'URLSearchParams'].map(
                    (name) => [name, 'readonly'],
                ),
            ),
        },
    },
);

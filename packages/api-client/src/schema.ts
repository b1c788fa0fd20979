// Generated from the server's OpenAPI document by `npm run api:generate`. Do not edit.
/* eslint-disable */
export interface paths {
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who did what, when, from where (newest first by default) */
        get: {
            parameters: {
                query?: {
                    action?: string;
                    from?: string;
                    method?: "POST" | "PUT" | "PATCH" | "DELETE";
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    sort?: "at";
                    staffId?: string;
                    status?: number;
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AuditEntryDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Staff sign-in
         * @description Answers the tokens, or, when the member has TOTP on (or the owner requires it and the member has none yet), a challenge to complete at POST /api/admin/auth/totp (refused, 401 MCART_ERR_INVALID_CHALLENGE, once the password has changed). Limited as the customer sign-in: AUTH_IP_LIMIT per client, AUTH_ACCOUNT_LIMIT per account from one client, ten times that per account from all clients (429 MCART_ERR_RATE_LIMITED with Retry-After).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffLoginDto"] | components["schemas"]["StaffLoginChallengeDto"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session of this refresh token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in staff member and their permissions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            firstName: string;
                            id: string;
                            lastName: string;
                            /** @description The password was reset by an owner or admin (a temporary one): ask the member to choose their own (POST /api/admin/auth/password) before anything else. */
                            passwordChangeRequired: boolean;
                            permissions: ("dashboard:read" | "catalog:read" | "catalog:write" | "pricing:write" | "inventory:read" | "inventory:write" | "orders:read" | "orders:write" | "orders:annotate" | "orders:refund" | "returns:receive" | "invoices:read" | "reports:read" | "shipping:read" | "shipping:write" | "customers:read" | "customers:write" | "customers:export" | "customers:erase" | "staff:read" | "staff:manage" | "audit:read" | "backups:manage" | "mailbox:read" | "settings:manage" | "security:manage")[];
                            role: "owner" | "admin" | "manager" | "warehouse" | "support";
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your password
         * @description With the current password. The new one: 8 to 128 characters, not a commonly used one, not holding your e-mail address or its part before the @ (400 MCART_ERR_WEAK_PASSWORD), not the current one (400 MCART_ERR_VALIDATION). Ends every session of the member, other devices too, and answers a fresh token pair for this one; clears `passwordChangeRequired`. 403 MCART_ERR_WRONG_PASSWORD on `body/currentPassword` when the current password is wrong; attempts count against per-account and per-IP limits (429 + Retry-After).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token (single use) for a new token pair
         * @description A spent token is refused with 401 MCART_ERR_INVALID_REFRESH_TOKEN and its whole session is revoked. A session ends STAFF_SESSION_MAX_HOURS after sign-in however often it is refreshed: then 401 MCART_ERR_SESSION_EXPIRED, sign in again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your signed-in devices (sessions), the one of this request marked `current` */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["SessionDto"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Sign one of your devices out (ending the current session signs this one out) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Second sign-in step: a TOTP code, or a recovery code, for a challenge
         * @description A TOTP code is accepted one 30-second step either side of now, and only once. In its place, one of the member’s recovery codes (told apart by shape: ten letters and digits, e.g. `k7m2x-9qpfa`) signs in once; the answer then says how many are left (`recoveryCodesRemaining`). Confirming an enrollment (`totp_enroll`) takes a TOTP code and answers the new recovery codes. Wrong codes of either kind count against the same per-account and per-IP limits as the password.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        challenge: string;
                        /** @description The six digits from the authenticator app, or a recovery code (`k7m2x-9qpfa`: ten letters and digits, any case, hyphen and blanks optional). A recovery code is refused (400) while enrolling. */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresIn: number;
                            /** @description The password was reset by an owner or admin (a temporary one): ask the member to choose their own (POST /api/admin/auth/password) before anything else. */
                            passwordChangeRequired: boolean;
                            /** @description Only when this step confirmed an enrollment (`totp_enroll`): the new single-use recovery codes, once. */
                            recoveryCodes?: string[];
                            /** @description Only when a recovery code signed in: how many unused codes are left. */
                            recoveryCodesRemaining?: number;
                            refreshToken: string;
                            staff: components["schemas"]["StaffDto"];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/auth/totp/enroll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enroll in TOTP during sign-in (when the owner requires it)
         * @description With a `totp_enroll` challenge: a new secret and its QR code, shown once. Confirm it by answering the challenge with a code at POST /api/admin/auth/totp, which then signs in.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        challenge: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            otpauthUrl: string;
                            /** @description the otpauth URL as a PNG data: URL */
                            qrCode: string;
                            /** @description Base32 secret, shown once, for apps that cannot scan */
                            secret: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Backups, newest first */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    sort?: "createdAt" | "sizeBytes" | "status";
                    status?: "running" | "succeeded" | "failed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["BackupDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /** Start a backup now (runs in the background; poll the list for its status) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The last restore drill of this backup (restored into a scratch database and checked against its manifest); null until drilled */
                            drill: {
                                /** Format: date-time */
                                at: string;
                                durationMs: number | null;
                                /** @description Why it failed; null when passed */
                                error: string | null;
                                status: "passed" | "failed";
                            } | null;
                            error: string | null;
                            fileName: string | null;
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description Where the file is: a path on the server, or s3://bucket/key */
                            location: string | null;
                            /** @description Tables written so far while running, when the instance answering is the one running it; else null */
                            progress: {
                                tables: number;
                                tablesDone: number;
                            } | null;
                            /** @description Last migration applied when it was taken */
                            schemaVersion: string | null;
                            /** @description SHA-256 of the whole file */
                            sha256: string | null;
                            /** @description Compressed file size; null until succeeded */
                            sizeBytes: number | null;
                            /** Format: date-time */
                            startedAt: string;
                            status: "running" | "succeeded" | "failed";
                            /** @description Row count of every table in the file (schema.table); null until succeeded */
                            tables: {
                                name: string;
                                rows: number;
                            }[] | null;
                            totalRows: number | null;
                            trigger: "manual" | "scheduled" | "cli";
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/backups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One backup */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The last restore drill of this backup (restored into a scratch database and checked against its manifest); null until drilled */
                            drill: {
                                /** Format: date-time */
                                at: string;
                                durationMs: number | null;
                                /** @description Why it failed; null when passed */
                                error: string | null;
                                status: "passed" | "failed";
                            } | null;
                            error: string | null;
                            fileName: string | null;
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description Where the file is: a path on the server, or s3://bucket/key */
                            location: string | null;
                            /** @description Tables written so far while running, when the instance answering is the one running it; else null */
                            progress: {
                                tables: number;
                                tablesDone: number;
                            } | null;
                            /** @description Last migration applied when it was taken */
                            schemaVersion: string | null;
                            /** @description SHA-256 of the whole file */
                            sha256: string | null;
                            /** @description Compressed file size; null until succeeded */
                            sizeBytes: number | null;
                            /** Format: date-time */
                            startedAt: string;
                            status: "running" | "succeeded" | "failed";
                            /** @description Row count of every table in the file (schema.table); null until succeeded */
                            tables: {
                                name: string;
                                rows: number;
                            }[] | null;
                            totalRows: number | null;
                            trigger: "manual" | "scheduled" | "cli";
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/backups/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the backup file (gzip; restore it with `npm run restore -- <file>`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The backup file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/gzip": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/backups/{id}/drill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Prove this backup restores now: restore it into a scratch database and check it (runs in the background; its outcome is the backup's `drill`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The last restore drill of this backup (restored into a scratch database and checked against its manifest); null until drilled */
                            drill: {
                                /** Format: date-time */
                                at: string;
                                durationMs: number | null;
                                /** @description Why it failed; null when passed */
                                error: string | null;
                                status: "passed" | "failed";
                            } | null;
                            error: string | null;
                            fileName: string | null;
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description Where the file is: a path on the server, or s3://bucket/key */
                            location: string | null;
                            /** @description Tables written so far while running, when the instance answering is the one running it; else null */
                            progress: {
                                tables: number;
                                tablesDone: number;
                            } | null;
                            /** @description Last migration applied when it was taken */
                            schemaVersion: string | null;
                            /** @description SHA-256 of the whole file */
                            sha256: string | null;
                            /** @description Compressed file size; null until succeeded */
                            sizeBytes: number | null;
                            /** Format: date-time */
                            startedAt: string;
                            status: "running" | "succeeded" | "failed";
                            /** @description Row count of every table in the file (schema.table); null until succeeded */
                            tables: {
                                name: string;
                                rows: number;
                            }[] | null;
                            totalRows: number | null;
                            trigger: "manual" | "scheduled" | "cli";
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List categories */
        get: {
            parameters: {
                query?: {
                    id?: string[];
                    order?: "ASC" | "DESC";
                    page?: number;
                    parentId?: string;
                    perPage?: number;
                    q?: string;
                    sort?: "name" | "position" | "slug" | "createdAt";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["CategoryDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /** Create a category */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        parentId?: string | null;
                        position?: number;
                        slug?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            parentId: string | null;
                            position: number;
                            slug: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/categories/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One category */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            parentId: string | null;
                            position: number;
                            slug: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a leaf category */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Rename or move a category (optimistic) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        parentId?: string | null;
                        position?: number;
                        slug?: string;
                        version: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            parentId: string | null;
                            position: number;
                            slug: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customers (`q` searches e-mail and names) */
        get: {
            parameters: {
                query?: {
                    disabled?: boolean;
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    q?: string;
                    sort?: "createdAt" | "email" | "lastName" | "lastLoginAt";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AdminCustomerDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One customer with their addresses (decrypted) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            addresses: components["schemas"]["AddressDto"][];
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            emailVerified: boolean;
                            firstName: string;
                            id: string;
                            lastLoginAt: string | null;
                            lastName: string;
                            phone: string | null;
                            providers: string[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Disable or enable a customer (disabling ends their sessions) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            emailVerified: boolean;
                            firstName: string;
                            id: string;
                            lastLoginAt: string | null;
                            lastName: string;
                            phone: string | null;
                            providers: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/customers/{id}/data-export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Everything the store holds about a customer (JSON), for a request received by e-mail
         * @description The document the customer gets at GET /api/store/me/data-export, as an attachment. Owners and admins (`customers:export`); at most 30 exports an hour per staff member.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            addresses: components["schemas"]["AddressDto"][];
                            carts: components["schemas"]["ExportedCartDto"][];
                            consents: {
                                /** Format: date-time */
                                givenAt: string;
                                purpose: string;
                            }[];
                            customer: {
                                /** Format: date-time */
                                createdAt: string;
                                disabledAt: string | null;
                                email: string | null;
                                emailVerifiedAt: string | null;
                                firstName: string;
                                hasPassword: boolean;
                                id: string;
                                lastLoginAt: string | null;
                                lastName: string;
                                pendingEmailChange: {
                                    /** Format: date-time */
                                    expiresAt: string;
                                    newEmail: string;
                                    /** Format: date-time */
                                    requestedAt: string;
                                } | null;
                                phone: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** Format: date-time */
                            exportedAt: string;
                            /** @enum {string} */
                            format: "mcart.customer-data.v1";
                            identities: {
                                email: string | null;
                                /** Format: date-time */
                                linkedAt: string;
                                provider: string;
                            }[];
                            invoices: {
                                corrects: string | null;
                                id: string;
                                /** Format: date-time */
                                issuedAt: string;
                                kind: "invoice" | "credit_note";
                                number: string;
                                orderId: string;
                                orderNumber: string;
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            orders: components["schemas"]["ExportedOrderDto"][];
                            sessions: {
                                active: boolean;
                                ips: string[];
                                /** Format: date-time */
                                lastUsedAt: string;
                                /** Format: date-time */
                                startedAt: string;
                                userAgents: string[];
                            }[];
                            stockAlerts: {
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                email: string;
                                notifiedAt: string | null;
                                productTitle: string;
                                sku: string;
                                variantId: string;
                                variantTitle: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/customers/{id}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase a customer and their personal data, for a request received by e-mail
         * @description What DELETE /api/store/me does, without the password: 409 MCART_ERR_ERASURE_BLOCKED lists the orders (`orders: [{ id, number, status, openReturnRequests? }]`) not yet delivered, cancelled or refunded, or with a return request still open; otherwise the account, addresses, sign-in methods and sessions are deleted, the orders kept without the person, and a confirmation e-mailed. Audited as `customer.erased`. Owners and admins (`customers:erase`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            customerId: string;
                            /** Format: date-time */
                            erasedAt: string;
                            ordersAnonymised: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sales, orders to pack, low stock and new customers, for the back-office dashboard */
        get: {
            parameters: {
                query?: {
                    tz?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            currency: string;
                            customers: {
                                last30Days: number;
                                today: number;
                            } | null;
                            /** Format: date-time */
                            generatedAt: string;
                            lowStock: {
                                count: number;
                                /** @description the 10 lowest */
                                items: {
                                    available: number;
                                    sku: string | null;
                                    threshold: number;
                                    title: string | null;
                                    variantId: string;
                                }[];
                            } | null;
                            sales: {
                                daily: {
                                    date: string;
                                    orders: number;
                                    /** @description minor units */
                                    revenue: number;
                                }[];
                                last30Days: {
                                    orders: number;
                                    revenue: {
                                        /** @description minor units */
                                        amount: number;
                                        currency: string;
                                    };
                                };
                                today: {
                                    orders: number;
                                    revenue: {
                                        /** @description minor units */
                                        amount: number;
                                        currency: string;
                                    };
                                };
                            } | null;
                            timeZone: string;
                            toPack: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/discount-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List discount codes */
        get: {
            parameters: {
                query?: {
                    active?: boolean;
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    q?: string;
                    sort?: "code" | "createdAt" | "endsAt" | "usageCount";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["DiscountCodeDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /** Create a discount code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        active?: boolean;
                        /** @description Letters, digits, _ and -; compared case-insensitively */
                        code: string;
                        description?: string;
                        discountType: "percent" | "fixed";
                        discountValue: number;
                        endsAt?: string | null;
                        minSubtotal?: number;
                        perCustomerLimit?: number | null;
                        startsAt?: string | null;
                        usageLimit?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            discountType: "percent" | "fixed";
                            discountValue: number;
                            endsAt: string | null;
                            id: string;
                            minSubtotal: number;
                            perCustomerLimit: number | null;
                            startsAt: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            usageCount: number;
                            usageLimit: number | null;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/discount-codes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One discount code */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            discountType: "percent" | "fixed";
                            discountValue: number;
                            endsAt: string | null;
                            id: string;
                            minSubtotal: number;
                            perCustomerLimit: number | null;
                            startsAt: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            usageCount: number;
                            usageLimit: number | null;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a discount code */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a discount code (optimistic) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        active?: boolean;
                        /** @description Letters, digits, _ and -; compared case-insensitively */
                        code?: string;
                        description?: string;
                        discountType?: "percent" | "fixed";
                        discountValue?: number;
                        endsAt?: string | null;
                        minSubtotal?: number;
                        perCustomerLimit?: number | null;
                        startsAt?: string | null;
                        usageLimit?: number | null;
                        version: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            discountType: "percent" | "fixed";
                            discountValue: number;
                            endsAt: string | null;
                            id: string;
                            minSubtotal: number;
                            perCustomerLimit: number | null;
                            startsAt: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            usageCount: number;
                            usageLimit: number | null;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/inventory/adjustments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Adjust on-hand stock (+/-) with a reason
         * @description An `Idempotency-Key` header is honoured as for the batches (one key space per staff member): the same key and body replay the first answer (`Idempotent-Replayed: true`), another body is 422 MCART_ERR_IDEMPOTENCY_MISMATCH, a refused change (400, 404, 409) keeps nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Non-zero change of on-hand stock */
                        delta: number;
                        /** Format: uuid */
                        locationId?: string;
                        reason: string;
                        /** Format: uuid */
                        variantId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            level: {
                                allowBackorder: boolean;
                                available: number;
                                /** @description <variantId>:<locationId> */
                                id: string;
                                locationId: string;
                                locationName: string;
                                lowStockThreshold: number | null;
                                onHand: number;
                                reserved: number;
                                /** Format: date-time */
                                updatedAt: string;
                                variantId: string;
                            };
                            movementId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/adjustments/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Adjust several variants with one reason in one transaction
         * @description All lines or none. Send an `Idempotency-Key` header (one per submission) so that a retry after a lost answer books nothing twice: the same key and body from the same staff member replay the first answer (`Idempotent-Replayed: true`); another body with that key is 422 MCART_ERR_IDEMPOTENCY_MISMATCH; while the first is still running, 409 MCART_ERR_IDEMPOTENCY_IN_PROGRESS. A refused batch (400, 404, 409) keeps nothing: the same key may be sent again once the cause is fixed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        lines: {
                            /** @description Non-zero change of on-hand stock */
                            delta: number;
                            /** Format: uuid */
                            variantId: string;
                        }[];
                        /** Format: uuid */
                        locationId?: string;
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            lines: {
                                level: {
                                    allowBackorder: boolean;
                                    available: number;
                                    /** @description <variantId>:<locationId> */
                                    id: string;
                                    locationId: string;
                                    locationName: string;
                                    lowStockThreshold: number | null;
                                    onHand: number;
                                    reserved: number;
                                    /** Format: date-time */
                                    updatedAt: string;
                                    variantId: string;
                                };
                                movementId: string;
                                variantId: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/levels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stock levels per variant and location */
        get: {
            parameters: {
                query?: {
                    locationId?: string;
                    lowStock?: boolean;
                    order?: "ASC" | "DESC";
                    outOfStock?: boolean;
                    page?: number;
                    perPage?: number;
                    sort?: "variantId" | "locationId" | "onHand" | "reserved" | "available" | "updatedAt";
                    variantId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                allowBackorder: boolean;
                                available: number;
                                /** @description <variantId>:<locationId> */
                                id: string;
                                locationId: string;
                                locationName: string;
                                lowStockThreshold: number | null;
                                onHand: number;
                                reserved: number;
                                /** Format: date-time */
                                updatedAt: string;
                                variantId: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/low-stock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Levels at or below their variant's low-stock threshold, emptiest first */
        get: {
            parameters: {
                query?: {
                    locationId?: string;
                    lowStock?: boolean;
                    order?: "ASC" | "DESC";
                    outOfStock?: boolean;
                    page?: number;
                    perPage?: number;
                    sort?: "variantId" | "locationId" | "onHand" | "reserved" | "available" | "updatedAt";
                    variantId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                allowBackorder: boolean;
                                available: number;
                                /** @description <variantId>:<locationId> */
                                id: string;
                                locationId: string;
                                locationName: string;
                                lowStockThreshold: number | null;
                                onHand: number;
                                reserved: number;
                                /** Format: date-time */
                                updatedAt: string;
                                variantId: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/movements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The stock ledger (newest first) */
        get: {
            parameters: {
                query?: {
                    kind?: "received" | "adjusted" | "reserved" | "released" | "sold" | "returned" | "transfer_out" | "transfer_in";
                    locationId?: string;
                    order?: "ASC" | "DESC";
                    orderId?: string;
                    page?: number;
                    perPage?: number;
                    sort?: "id" | "createdAt";
                    variantId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                kind: "received" | "adjusted" | "reserved" | "released" | "sold" | "returned" | "transfer_out" | "transfer_in";
                                locationId: string;
                                onHandDelta: number;
                                orderId: string | null;
                                reason: string | null;
                                reservedDelta: number;
                                staffId: string | null;
                                transferId: string | null;
                                variantId: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/policies/{variantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Backorder policy and low-stock threshold of a variant */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    variantId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowBackorder: boolean;
                            lowStockThreshold: number | null;
                            variantId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        /** Set backorder policy and low-stock threshold of a variant */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    variantId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        allowBackorder: boolean;
                        /** @description null clears the threshold (no low-stock alerts) */
                        lowStockThreshold: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowBackorder: boolean;
                            lowStockThreshold: number | null;
                            variantId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive stock at a location
         * @description An `Idempotency-Key` header is honoured as for the batches (one key space per staff member): the same key and body replay the first answer (`Idempotent-Replayed: true`), another body is 422 MCART_ERR_IDEMPOTENCY_MISMATCH, a refused change (400, 404, 409) keeps nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        locationId?: string;
                        quantity: number;
                        reason?: string;
                        /** Format: uuid */
                        variantId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            level: {
                                allowBackorder: boolean;
                                available: number;
                                /** @description <variantId>:<locationId> */
                                id: string;
                                locationId: string;
                                locationName: string;
                                lowStockThreshold: number | null;
                                onHand: number;
                                reserved: number;
                                /** Format: date-time */
                                updatedAt: string;
                                variantId: string;
                            };
                            movementId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/receipts/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive several variants at a location in one transaction
         * @description All lines or none. Send an `Idempotency-Key` header (one per submission) so that a retry after a lost answer books nothing twice: the same key and body from the same staff member replay the first answer (`Idempotent-Replayed: true`); another body with that key is 422 MCART_ERR_IDEMPOTENCY_MISMATCH; while the first is still running, 409 MCART_ERR_IDEMPOTENCY_IN_PROGRESS. A refused batch (400, 404, 409) keeps nothing: the same key may be sent again once the cause is fixed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        lines: {
                            quantity: number;
                            /** Format: uuid */
                            variantId: string;
                        }[];
                        /** Format: uuid */
                        locationId?: string;
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            lines: {
                                level: {
                                    allowBackorder: boolean;
                                    available: number;
                                    /** @description <variantId>:<locationId> */
                                    id: string;
                                    locationId: string;
                                    locationName: string;
                                    lowStockThreshold: number | null;
                                    onHand: number;
                                    reserved: number;
                                    /** Format: date-time */
                                    updatedAt: string;
                                    variantId: string;
                                };
                                movementId: string;
                                variantId: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move available stock between locations
         * @description An `Idempotency-Key` header is honoured as for the batches (one key space per staff member): the same key and body replay the first answer (`Idempotent-Replayed: true`), another body is 422 MCART_ERR_IDEMPOTENCY_MISMATCH, a refused change (400, 404, 409) keeps nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        fromLocationId: string;
                        quantity: number;
                        reason?: string;
                        /** Format: uuid */
                        toLocationId: string;
                        /** Format: uuid */
                        variantId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            from: {
                                allowBackorder: boolean;
                                available: number;
                                /** @description <variantId>:<locationId> */
                                id: string;
                                locationId: string;
                                locationName: string;
                                lowStockThreshold: number | null;
                                onHand: number;
                                reserved: number;
                                /** Format: date-time */
                                updatedAt: string;
                                variantId: string;
                            };
                            to: {
                                allowBackorder: boolean;
                                available: number;
                                /** @description <variantId>:<locationId> */
                                id: string;
                                locationId: string;
                                locationName: string;
                                lowStockThreshold: number | null;
                                onHand: number;
                                reserved: number;
                                /** Format: date-time */
                                updatedAt: string;
                                variantId: string;
                            };
                            transferId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/inventory/transfers/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move several variants between two locations in one transaction
         * @description All lines or none. Send an `Idempotency-Key` header (one per submission) so that a retry after a lost answer books nothing twice: the same key and body from the same staff member replay the first answer (`Idempotent-Replayed: true`); another body with that key is 422 MCART_ERR_IDEMPOTENCY_MISMATCH; while the first is still running, 409 MCART_ERR_IDEMPOTENCY_IN_PROGRESS. A refused batch (400, 404, 409) keeps nothing: the same key may be sent again once the cause is fixed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        fromLocationId: string;
                        lines: {
                            quantity: number;
                            /** Format: uuid */
                            variantId: string;
                        }[];
                        reason?: string;
                        /** Format: uuid */
                        toLocationId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            lines: {
                                from: {
                                    allowBackorder: boolean;
                                    available: number;
                                    /** @description <variantId>:<locationId> */
                                    id: string;
                                    locationId: string;
                                    locationName: string;
                                    lowStockThreshold: number | null;
                                    onHand: number;
                                    reserved: number;
                                    /** Format: date-time */
                                    updatedAt: string;
                                    variantId: string;
                                };
                                to: {
                                    allowBackorder: boolean;
                                    available: number;
                                    /** @description <variantId>:<locationId> */
                                    id: string;
                                    locationId: string;
                                    locationName: string;
                                    lowStockThreshold: number | null;
                                    onHand: number;
                                    reserved: number;
                                    /** Format: date-time */
                                    updatedAt: string;
                                    variantId: string;
                                };
                                transferId: string;
                                variantId: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/invoices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invoices and credit notes, newest first (filter by order, kind, number, issue date) */
        get: {
            parameters: {
                query?: {
                    /** @description issued at or after (date or date-time) */
                    from?: string;
                    kind?: "invoice" | "credit_note";
                    number?: string;
                    order?: "ASC" | "DESC";
                    orderId?: string;
                    page?: number;
                    perPage?: number;
                    sort?: "issuedAt" | "number" | "total";
                    /** @description issued before (date or date-time) */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** Format: uuid */
                                id: string;
                                /** @description A credit note: the invoice it corrects (null for an invoice) */
                                invoiceId: string | null;
                                invoiceNumber: string | null;
                                /** Format: date-time */
                                issuedAt: string;
                                kind: "invoice" | "credit_note";
                                /** @description INV-<year>-<seq> or CN-<year>-<seq>: gap-free per kind and year */
                                number: string;
                                /** Format: uuid */
                                orderId: string;
                                orderNumber: string;
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description The invoice total, or the amount a credit note credits (positive) */
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/invoices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One invoice or credit note (what lists show; the PDF has what it says) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            /** @description A credit note: the invoice it corrects (null for an invoice) */
                            invoiceId: string | null;
                            invoiceNumber: string | null;
                            /** Format: date-time */
                            issuedAt: string;
                            kind: "invoice" | "credit_note";
                            /** @description INV-<year>-<seq> or CN-<year>-<seq>: gap-free per kind and year */
                            number: string;
                            /** Format: uuid */
                            orderId: string;
                            orderNumber: string;
                            tax: {
                                amount: number;
                                currency: string;
                            };
                            /** @description The invoice total, or the amount a credit note credits (positive) */
                            total: {
                                amount: number;
                                currency: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/invoices/{id}/pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The invoice or credit note as issued, as an A4 PDF
         * @description Drawn from the document as it was issued; `Content-Disposition` names it by its number.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The document as a PDF (A4) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/pdf": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/invoices/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The invoice register as CSV: every invoice and credit note issued in the range, oldest first
         * @description For the books: one line per document (`number, kind, issued_at, order_number, corrects, buyer_name, buyer_company, buyer_country, currency, net_minor, tax_minor, total_minor`). Amounts are minor units, a credit note's negative, so a column sums to what the period invoiced net of credits. The buyer is as the document names them. `from` is inclusive, `to` exclusive (`from=2026-12-01&to=2027-01-01` is December, UTC). Streamed, no row limit. Audited as `invoices.exported` (it lists buyers by name).
         */
        get: {
            parameters: {
                query?: {
                    /** @description issued at or after (date or date-time) */
                    from?: string;
                    kind?: "invoice" | "credit_note";
                    /** @description issued before (date or date-time) */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/csv */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/mailbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** E-mails written to the local mailbox (empty when SMTP is configured) */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    q?: string;
                    sort?: "date" | "subject" | "to";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** Format: date-time */
                                date: string;
                                from: string;
                                /** Format: uuid */
                                id: string;
                                subject: string;
                                template: string;
                                to: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/mailbox/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One e-mail of the local mailbox, with its HTML and plain-text parts and what is attached */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attachments: {
                                contentType: string;
                                filename: string;
                                size: number;
                            }[];
                            /** Format: date-time */
                            date: string;
                            from: string;
                            html: string;
                            /** Format: uuid */
                            id: string;
                            subject: string;
                            template: string;
                            text: string;
                            to: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/mailbox/{id}/attachments/{index}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An attachment of an e-mail of the local mailbox (e.g. an invoice PDF), as it was sent
         * @description `index` is its position in the message's `attachments` (0 for the first).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    index: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the file, with its content type */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders (filters: ids, status, customer, e-mail, number, date range, total range) */
        get: {
            parameters: {
                query?: {
                    customerId?: string;
                    email?: string;
                    /** @description placed at or after (date or date-time) */
                    from?: string;
                    /** @description Only these orders (repeat `id`; react-admin getMany) */
                    id?: string[];
                    /** @description Total at most this, in minor units */
                    maxTotal?: number;
                    /** @description Total at least this, in minor units */
                    minTotal?: number;
                    number?: string;
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    sort?: "createdAt" | "updatedAt" | "total" | "number" | "status";
                    status?: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                    /** @description placed before (date or date-time) */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** Format: date-time */
                                createdAt: string;
                                customerId: string | null;
                                email: string;
                                id: string;
                                itemCount: number;
                                number: string;
                                paidAt: string | null;
                                refunded: {
                                    amount: number;
                                    currency: string;
                                };
                                status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An order with lines, payments and its timeline */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: void or refund the payment, give the stock back */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}/capture": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Capture the authorized payment (all, or an amount) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Minor units to capture; all that was authorized when left out */
                        amount?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a staff note to the timeline */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        body: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refund an amount or lines (partial or full) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Minor units to refund; at most what is left of the order total */
                        amount?: number;
                        lines?: {
                            /** Format: uuid */
                            orderLineId: string;
                            quantity: number;
                        }[];
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}/returns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record returned goods, restocking the chosen lines */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        lines: {
                            /** Format: uuid */
                            orderLineId: string;
                            quantity: number;
                            restock: boolean;
                        }[];
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}/shipments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a shipment (buys/creates the label) for some or all remaining lines of a paid order
         * @description Remaining units are those not in a shipment that is out: units of a voided label, or of a parcel returned to sender (back in the warehouse), are to ship again; give `shippingAddress` to print a corrected address (same country as the order's). An order whose timeline says it was marked shipped or delivered (by hand, since the last parcel returned to sender) has nothing left: 409 `MCART_ERR_ORDER_ALREADY_SHIPPED`, even once partly refunded. Without `package.weightGrams` the parcel weighs what its variants do when every one has a weight, the store's default weight when none has; a parcel holding both must be weighed (400 on `body/package/weightGrams`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        lines?: {
                            /** Format: uuid */
                            orderLineId: string;
                            quantity: number;
                        }[];
                        package?: {
                            heightMm?: number;
                            lengthMm?: number;
                            weightGrams?: number;
                            widthMm?: number;
                        };
                        service?: string;
                        /** @description The address to print, when the order's cannot go on a label as it is (MCART_ERR_LABEL_ADDRESS_TOO_LONG: a line over 35 characters, letters outside Latin-1): staff write it shorter or in Latin letters; or when a parcel came back (returned to sender) and staff corrected the address for the next one. Same country as the order's. The shipment keeps it; the order's address is unchanged. */
                        shippingAddress?: {
                            city: string;
                            /** @description Printed under the name */
                            company?: string;
                            /** @description ISO 3166-1 alpha-2 */
                            country: string;
                            line1: string;
                            line2?: string;
                            name: string;
                            phone?: string;
                            postalCode: string;
                            /** @description State, province or county; optional. For US and CA, when given, the 2-letter code (IL, ON), any case, stored upper case (400 on `body/shippingAddress/region` otherwise); free text elsewhere. */
                            region?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                            trackingNumber: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{id}/transition": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move the order along its state machine (processing, shipped, delivered); 409 MCART_ERR_ILLEGAL_TRANSITION otherwise */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        message?: string;
                        status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How many orders per status (list tabs) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            counts: {
                                [key: string]: number;
                            };
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/outgoing-mail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Customer e-mails queued, sent and failed (newest first)
         * @description Every customer e-mail the store queued until it is purged (`MAIL_RETENTION_DAYS` after it finished), whatever the transport: `failed` ones were given up (after 8 attempts, or at once when the recipient's server refused the address), `pending` ones wait for their next attempt (`nextAttemptAt`). `lastError` is the last failure without e-mail addresses. Filters: `status`, `template`, and the order an e-mail is about (`orderId` or `orderNumber`: an unknown order has none). Sorted by `createdAt` (default, DESC) or `updatedAt`. Answer `{ data, total }`.
         */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    /** @description the e-mails about this order */
                    orderId?: string;
                    /** @description the e-mails about the order with this number (e.g. MC-001042) */
                    orderNumber?: string;
                    page?: number;
                    perPage?: number;
                    sort?: "createdAt" | "updatedAt";
                    status?: "pending" | "sending" | "sent" | "failed";
                    template?: "order-confirmation" | "payment-failed" | "order-shipped" | "order-delivered" | "order-cancelled" | "refund-issued" | "return-requested" | "return-approved" | "return-rejected" | "invoice-issued" | "credit-note-issued" | "back-in-stock" | "back-in-stock-confirm" | "account-erased" | "password-reset" | "verify-email" | "email-change" | "email-changed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description delivery attempts made (counted from 0 again by a retry) */
                                attempts: number;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                /** @description the last attempt's failure, e-mail addresses replaced by [address] */
                                lastError: string | null;
                                /** @description when a pending e-mail is next attempted */
                                nextAttemptAt: string | null;
                                /** @description that order, while it exists */
                                orderId: string | null;
                                /** @description the order it is about, if any */
                                orderNumber: string | null;
                                sentAt: string | null;
                                status: "pending" | "sending" | "sent" | "failed";
                                /** @description what the e-mail is, e.g. `order-confirmation` */
                                template: string;
                                /** @description the recipient (null when its sealed envelope cannot be opened) */
                                to: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/outgoing-mail/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a failed customer e-mail again
         * @description For a `failed` e-mail, once its cause is put right (the SMTP settings, the relay): it is `pending` again, due now, its attempts counted from 0 (the whole backoff again), its last error kept until the next attempt. Sent within seconds by the job queue (within two minutes by the sweep otherwise). No body (or `{}`). 404 MCART_ERR_MAIL_NOT_FOUND; 409 MCART_ERR_MAIL_NOT_FAILED for one that is pending, being sent or sent (its status said as `mailStatus`). Recorded in the audit log as `mail.retried`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description delivery attempts made (counted from 0 again by a retry) */
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            /** @description the last attempt's failure, e-mail addresses replaced by [address] */
                            lastError: string | null;
                            /** @description when a pending e-mail is next attempted */
                            nextAttemptAt: string | null;
                            /** @description that order, while it exists */
                            orderId: string | null;
                            /** @description the order it is about, if any */
                            orderNumber: string | null;
                            sentAt: string | null;
                            status: "pending" | "sending" | "sent" | "failed";
                            /** @description what the e-mail is, e.g. `order-confirmation` */
                            template: string;
                            /** @description the recipient (null when its sealed envelope cannot be opened) */
                            to: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Payments, newest first (filter by order) */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    orderId?: string;
                    page?: number;
                    perPage?: number;
                    sort?: "createdAt";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                amount: number;
                                brand: string | null;
                                capturedAmount: number;
                                /** Format: date-time */
                                createdAt: string;
                                currency: string;
                                declineCode: string | null;
                                dispute: {
                                    amount: number;
                                    evidenceDueBy: string | null;
                                    /** Format: date-time */
                                    openedAt: string;
                                    reason: string | null;
                                    /** @description `needs_response`: evidence due (in the gateway's dashboard); `under_review`; `won`: the money stays; `lost`: it went back to the customer through their bank (counted as a refund of kind `dispute`) */
                                    status: "needs_response" | "under_review" | "won" | "lost";
                                } | null;
                                /** Format: uuid */
                                id: string;
                                last4: string | null;
                                /** Format: uuid */
                                orderId: string;
                                provider: string;
                                providerRef: string | null;
                                refundedAmount: number;
                                refunds: {
                                    amount: number;
                                    /** Format: date-time */
                                    createdAt: string;
                                    /** @description Why it failed, in the gateway's words */
                                    failureReason: string | null;
                                    /** Format: uuid */
                                    id: string;
                                    /** @description `refund`: given back by the store or at the gateway; `dispute`: taken back by a lost dispute */
                                    kind: "refund" | "dispute";
                                    reason: string | null;
                                    /** @description When a refund that had gone through was reported failed (the money did not go back after all) */
                                    reversedAt: string | null;
                                    /** @description `pending`: sent, the gateway has not confirmed it yet (its answer was lost: it is confirmed automatically; do not refund again). `failed`: the money did not go back (refused, or failed after it was sent: `reversedAt`). */
                                    status: "pending" | "succeeded" | "failed";
                                }[];
                                status: "pending" | "requires_action" | "authorized" | "capturing" | "captured" | "declined" | "canceled";
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List products */
        get: {
            parameters: {
                query?: {
                    categoryId?: string;
                    /** @description Only these ids (react-admin getMany) */
                    id?: string[];
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    /** @description Title or SKU contains */
                    q?: string;
                    sort?: "title" | "createdAt" | "updatedAt" | "status" | "minPrice";
                    status?: "draft" | "active" | "archived";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AdminProductListItemDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /** Create a product with its variants */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        attributes?: {
                            [key: string]: string;
                        };
                        categoryIds?: string[];
                        description?: string;
                        heightMm?: number | null;
                        lengthMm?: number | null;
                        slug?: string;
                        status?: "draft" | "active" | "archived";
                        title: string;
                        variants: components["schemas"]["CreateVariantBody"][];
                        weightGrams?: number | null;
                        widthMm?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attributes: {
                                [key: string]: string;
                            };
                            categoryIds: string[];
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            heightMm: number | null;
                            id: string;
                            lengthMm: number | null;
                            slug: string;
                            status: "draft" | "active" | "archived";
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                            variants: components["schemas"]["AdminVariantDto"][];
                            version: number;
                            weightGrams: number | null;
                            widthMm: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One product with its variants */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attributes: {
                                [key: string]: string;
                            };
                            categoryIds: string[];
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            heightMm: number | null;
                            id: string;
                            lengthMm: number | null;
                            slug: string;
                            status: "draft" | "active" | "archived";
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                            variants: components["schemas"]["AdminVariantDto"][];
                            version: number;
                            weightGrams: number | null;
                            widthMm: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a product (it leaves the store at once) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a product (optimistic: send the version you read) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        attributes?: {
                            [key: string]: string;
                        };
                        categoryIds?: string[];
                        description?: string;
                        heightMm?: number | null;
                        lengthMm?: number | null;
                        slug?: string;
                        status?: "draft" | "active" | "archived";
                        title?: string;
                        /** @description The version you read: a stale one gets 409 MCART_ERR_STALE_WRITE */
                        version: number;
                        weightGrams?: number | null;
                        widthMm?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attributes: {
                                [key: string]: string;
                            };
                            categoryIds: string[];
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            heightMm: number | null;
                            id: string;
                            lengthMm: number | null;
                            slug: string;
                            status: "draft" | "active" | "archived";
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                            variants: components["schemas"]["AdminVariantDto"][];
                            version: number;
                            weightGrams: number | null;
                            widthMm: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/products/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A product's images, primary first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProductImageDto"][];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Upload an image (multipart: field "file", optional field "alt"); added last
         * @description JPEG, PNG, WebP or AVIF, recognised by content (not by the declared type); at most 10 MB (413 MCART_ERR_IMAGE_TOO_LARGE); other files → 415 MCART_ERR_IMAGE_TYPE. Metadata is stripped and the image stored as WebP (at most 2560 px on its long edge) under a content-addressed key.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alt: string;
                            contentType: string;
                            /** Format: date-time */
                            createdAt: string;
                            height: number;
                            id: string;
                            /** @description Content-addressed media key (SHA-256 of the stored bytes) */
                            key: string;
                            position: number;
                            /** @description The first image: shown in store lists */
                            primary: boolean;
                            productId: string;
                            sizeBytes: number;
                            /** @description Public URL of the image; add ?w=160|320|640|1280 for a resized copy */
                            url: string;
                            width: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/{id}/images/{imageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an image */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    imageId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an image's alt text */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    imageId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        alt: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alt: string;
                            contentType: string;
                            /** Format: date-time */
                            createdAt: string;
                            height: number;
                            id: string;
                            /** @description Content-addressed media key (SHA-256 of the stored bytes) */
                            key: string;
                            position: number;
                            /** @description The first image: shown in store lists */
                            primary: boolean;
                            productId: string;
                            sizeBytes: number;
                            /** @description Public URL of the image; add ?w=160|320|640|1280 for a resized copy */
                            url: string;
                            width: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/products/{id}/images/{imageId}/primary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make an image the primary one (moved first) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    imageId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProductImageDto"][];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/{id}/images/order": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Reorder a product's images (every id once, primary first) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Every image id of the product, primary first */
                        ids: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProductImageDto"][];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/{id}/variants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a variant */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        compareAtPrice?: {
                            amount: number;
                            currency: string;
                        } | null;
                        options?: {
                            [key: string]: string;
                        };
                        price: {
                            amount: number;
                            currency: string;
                        };
                        /** @description Letters, digits, . _ / - (1-64). Unique among live variants without regard to case: "abc-1" is taken by "ABC-1" (409 MCART_ERR_DUPLICATE_SKU) */
                        sku: string;
                        title?: string;
                        weightGrams?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            compareAtPrice: {
                                amount: number;
                                currency: string;
                            } | null;
                            id: string;
                            options: {
                                [key: string]: string;
                            };
                            position: number;
                            price: {
                                amount: number;
                                currency: string;
                            };
                            productId: string;
                            sku: string;
                            title: string;
                            version: number;
                            weightGrams: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/{id}/variants/{variantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a variant (not the last one) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    variantId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a variant (optimistic) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    variantId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        compareAtPrice?: {
                            amount: number;
                            currency: string;
                        } | null;
                        options?: {
                            [key: string]: string;
                        };
                        position?: number;
                        price?: {
                            amount: number;
                            currency: string;
                        };
                        /** @description Letters, digits, . _ / - (1-64). Unique among live variants without regard to case: "abc-1" is taken by "ABC-1" (409 MCART_ERR_DUPLICATE_SKU) */
                        sku?: string;
                        title?: string;
                        version: number;
                        weightGrams?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            compareAtPrice: {
                                amount: number;
                                currency: string;
                            } | null;
                            id: string;
                            options: {
                                [key: string]: string;
                            };
                            position: number;
                            price: {
                                amount: number;
                                currency: string;
                            };
                            productId: string;
                            sku: string;
                            title: string;
                            version: number;
                            weightGrams: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/products/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bulk publish / archive / draft, or change prices by a percentage */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action: "publish" | "archive" | "draft" | "priceChange";
                        ids: string[];
                        /** @description For priceChange: +10 raises prices 10%, -15 lowers them 15% */
                        percent?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            updated: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export the filtered product list as CSV (one line per variant, streamed, no row limit) */
        get: {
            parameters: {
                query?: {
                    categoryId?: string;
                    /** @description Title or SKU contains */
                    q?: string;
                    status?: "draft" | "active" | "archived";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/csv */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/products/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import products from CSV (multipart field "file"): upsert by SKU, all or nothing; dryRun=true only checks
         * @description Columns as in the export. Any row error → 422 MCART_ERR_CSV_INVALID with `errors` (path `line/<n>/<column>`) and `report`, nothing written. When the only errors are SKU conflicts (a SKU on two lines, or another product's, in any case: SKUs are unique without case) → 409 MCART_ERR_DUPLICATE_SKU, same `errors` and `report`. Two variants of a product with the same options → an `options_json` error. Over 50 MB → 413.
         */
        post: {
            parameters: {
                query?: {
                    dryRun?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dryRun: boolean;
                            errors: {
                                column?: string;
                                line: number;
                                message: string;
                            }[];
                            products: {
                                created: number;
                                updated: number;
                            };
                            rows: number;
                            variants: {
                                created: number;
                                updated: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/profile/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My second factor: on, waiting for confirmation, required by the owner; recovery codes left */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            pending: boolean;
                            /** @description How many unused recovery codes the member has left */
                            recoveryCodesRemaining: number;
                            required: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Start enrolling in TOTP: a new secret and its QR code, shown once
         * @description Nothing changes at sign-in until the enrollment is confirmed with a code.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            otpauthUrl: string;
                            /** @description the otpauth URL as a PNG data: URL */
                            qrCode: string;
                            /** @description Base32 secret, shown once, for apps that cannot scan */
                            secret: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        /**
         * Turn my TOTP off, proving it with a current code
         * @description Refused (409 MCART_ERR_TOTP_REQUIRED) while the owner requires TOTP for all staff. The recovery codes are deleted.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description six digits from the authenticator app */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/profile/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm the enrollment with a code from the app: TOTP is on from now
         * @description The answer carries ten single-use recovery codes, shown only here: each signs in once in place of a code from the app (POST /api/admin/auth/totp).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description six digits from the authenticator app */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            pending: boolean;
                            /** @description Single-use recovery codes, shown only in this answer (the server keeps keyed hashes). Each one signs in once in place of a code from the authenticator app. */
                            recoveryCodes: string[];
                            /** @description How many unused recovery codes the member has left */
                            recoveryCodesRemaining: number;
                            required: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/profile/totp/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * New recovery codes, proven with a current code from the app: the old ones stop working
         * @description Like turning TOTP off, this needs a current code (wrong codes count against the sign-in limits). The new codes are shown only in this answer.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description six digits from the authenticator app */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Single-use recovery codes, shown only in this answer (the server keeps keyed hashes). Each one signs in once in place of a code from the authenticator app. */
                            recoveryCodes: string[];
                            /** @description How many unused recovery codes the member has left */
                            recoveryCodesRemaining: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/reports/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Variants sold in a date range, best first by revenue or units
         * @description Lines of the orders paid between `from` and `to` (local days in `tz`, `to` included), per variant. Sku and title are the latest order line snapshot. ADR 0050.
         */
        get: {
            parameters: {
                query: {
                    /** @description `csv` answers the same report as a CSV download (text/csv) */
                    format?: "json" | "csv";
                    /** @description First day of the report, a local calendar day in `tz` (YYYY-MM-DD) */
                    from: string;
                    limit?: number;
                    /** @description Best first by revenue or by units (ties: the other one, then the variant id) */
                    sort?: "revenue" | "units";
                    /** @description Last day of the report, included (YYYY-MM-DD); at most 366 days from `from` */
                    to: string;
                    /** @description IANA time zone the days are counted in (default UTC) */
                    tz?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The variants (application/json), or with `format=csv` the same rows as a CSV download (text/csv) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            currency: string;
                            from: string;
                            /** @description Best first, at most `limit` */
                            rows: {
                                /** @description Of those units, the ones refunded by line since (at any date), and all units of an order cancelled after payment */
                                refundedUnits: number;
                                /** @description Those lines' totals as charged, less each line's share of its order's discount (pro rata, as refunds by line and credit notes take it off: the shares of an order's lines add up to its discount exactly); tax included only when the prices included it; no shipping (minor units) */
                                revenue: number;
                                /** @description As the latest order line sold it */
                                sku: string;
                                /** @description Product title — variant title, as the latest order line sold it */
                                title: string;
                                /** @description Units in orders paid in the range */
                                units: number;
                                variantId: string;
                            }[];
                            sort: "revenue" | "units";
                            timeZone: string;
                            to: string;
                        };
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/reports/sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sales per day, week or month: orders, units and money, for the owner and the accountant
         * @description `from` and `to` are local calendar days in `tz` (`to` included, at most 366 days). An order counts in the bucket of the day it was paid, whatever happened to it later (a cancellation after payment is a refund on the day its money went back); orders never paid never count. Refunds count on the day the gateway confirmed them; a refund reversed later (failed at the gateway after it went through, a lost dispute won on appeal) counts back, negatively, on the day of the reversal, so a past day never changes. Amounts are minor units of `currency`; each column is described in the schema. `net` = gross − discounts + shipping (+ tax when prices exclude it) − refunds. ADR 0050.
         */
        get: {
            parameters: {
                query: {
                    /** @description `csv` answers the same report as a CSV download (text/csv) */
                    format?: "json" | "csv";
                    /** @description First day of the report, a local calendar day in `tz` (YYYY-MM-DD) */
                    from: string;
                    /** @description Bucket size: local days, ISO weeks (Monday to Sunday) or calendar months */
                    groupBy?: "day" | "week" | "month";
                    /** @description Last day of the report, included (YYYY-MM-DD); at most 366 days from `from` */
                    to: string;
                    /** @description IANA time zone the days are counted in (default UTC) */
                    tz?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report (application/json), or with `format=csv` the same rows as a CSV download (text/csv) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 4217 code of every amount (the store currency) */
                            currency: string;
                            from: string;
                            groupBy: "day" | "week" | "month";
                            /** @description Every bucket of the range, oldest first, zeros included */
                            rows: {
                                /** @description Discounts of those orders (discount codes) (minor units) */
                                discounts: number;
                                /** @description Goods of those orders at the prices charged (unit price × quantity, sale prices applied), before discounts; tax included when the order was placed with prices including tax (minor units) */
                                gross: number;
                                /** @description What those orders charged (gross − discounts + shipping, + tax when prices excluded it: the order totals) less refunds: the money kept, tax included (minor units) */
                                net: number;
                                /** @description Orders paid in the bucket */
                                orders: number;
                                /** @description The bucket's first day, YYYY-MM-DD: the day, the week's Monday or the month's 1st (the first and last buckets may begin before `from` or end after `to`: they count only days of the range). In `totals`, `from`. */
                                period: string;
                                /** @description Money given back in the bucket: refunds the gateway confirmed on its days, staff refunds and the automatic refunds of orders cancelled after payment alike, whatever day those orders were paid; under manual capture, what an authorization did not take (voided, or captured for less) on the day it was settled; less the refunds reversed in the bucket (failed at the gateway after they went through, lost disputes won on appeal), which still count on the day they went through: negative when reversals exceed refunds (minor units) */
                                refunds: number;
                                /** @description Shipping charged on those orders, on the same tax basis as the prices (minor units) */
                                shipping: number;
                                /** @description Tax of those orders: added on top when prices excluded tax, contained in gross and shipping when they included it (minor units) */
                                tax: number;
                                /** @description Units in those orders (line quantities) */
                                units: number;
                            }[];
                            timeZone: string;
                            to: string;
                            totals: {
                                /** @description Discounts of those orders (discount codes) (minor units) */
                                discounts: number;
                                /** @description Goods of those orders at the prices charged (unit price × quantity, sale prices applied), before discounts; tax included when the order was placed with prices including tax (minor units) */
                                gross: number;
                                /** @description What those orders charged (gross − discounts + shipping, + tax when prices excluded it: the order totals) less refunds: the money kept, tax included (minor units) */
                                net: number;
                                /** @description Orders paid in the bucket */
                                orders: number;
                                /** @description The bucket's first day, YYYY-MM-DD: the day, the week's Monday or the month's 1st (the first and last buckets may begin before `from` or end after `to`: they count only days of the range). In `totals`, `from`. */
                                period: string;
                                /** @description Money given back in the bucket: refunds the gateway confirmed on its days, staff refunds and the automatic refunds of orders cancelled after payment alike, whatever day those orders were paid; under manual capture, what an authorization did not take (voided, or captured for less) on the day it was settled; less the refunds reversed in the bucket (failed at the gateway after they went through, lost disputes won on appeal), which still count on the day they went through: negative when reversals exceed refunds (minor units) */
                                refunds: number;
                                /** @description Shipping charged on those orders, on the same tax basis as the prices (minor units) */
                                shipping: number;
                                /** @description Tax of those orders: added on top when prices excluded tax, contained in gross and shipping when they included it (minor units) */
                                tax: number;
                                /** @description Units in those orders (line quantities) */
                                units: number;
                            };
                        };
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/return-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Return requests (filters: status, order)
         * @description `sort=status&order=ASC` lists them in the order of the work: requested, approved, rejected, received, withdrawn (by the customer); within a status, the oldest first. Default: newest first.
         */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    orderId?: string;
                    page?: number;
                    perPage?: number;
                    sort?: "createdAt" | "updatedAt" | "number" | "status";
                    /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
                    status?: "requested" | "approved" | "rejected" | "received" | "withdrawn";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["ReturnRequestDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/return-requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A return request with its lines, reason and the customer’s comment */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Where staff may move it next */
                            allowedTransitions: ("requested" | "approved" | "rejected" | "received" | "withdrawn")[];
                            approvedAt: string | null;
                            /** @description The customer's comment */
                            comment: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lines: {
                                orderLineId: string;
                                quantity: number;
                                /** @description Units of the line put back in stock at receipt (the rest kept out); null until received */
                                restockedQuantity: number | null;
                                sku: string;
                                /** @description "Product – Variant", as ordered */
                                title: string;
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            /** @description Staff's note to the customer at approval */
                            note: string | null;
                            /** @description The return number (`<order number>-R<n>`), to write on the parcel */
                            number: string;
                            orderId: string;
                            orderNumber: string;
                            /** @description Why the customer returns the goods */
                            reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
                            receivedAt: string | null;
                            /** @description The refund made when the goods were received; null when none was (yet) */
                            refund: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                at: string;
                            } | null;
                            /** @description Its refund was sent but the payment gateway has not confirmed it (its answer was lost: MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused it, is undone; do not refund it again meanwhile */
                            refundPending: boolean;
                            rejectedAt: string | null;
                            rejectionReason: string | null;
                            /** @description Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says which; false: none); null until received */
                            restocked: boolean | null;
                            /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
                            status: "requested" | "approved" | "rejected" | "received" | "withdrawn";
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description When the customer withdrew the request; null unless `withdrawn` */
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/return-requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a requested return: the customer is e-mailed the return address and number
         * @description From `requested` only; otherwise 409 MCART_ERR_ILLEGAL_TRANSITION. 409 MCART_ERR_NOT_RETURNABLE (`orderStatus`) when the order can no longer take a return (refunded in full or cancelled since): reject the request instead. The body may be left out.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A note for the customer, in the approval e-mail (e.g. "keep the original box") */
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Where staff may move it next */
                            allowedTransitions: ("requested" | "approved" | "rejected" | "received" | "withdrawn")[];
                            approvedAt: string | null;
                            /** @description The customer's comment */
                            comment: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lines: {
                                orderLineId: string;
                                quantity: number;
                                /** @description Units of the line put back in stock at receipt (the rest kept out); null until received */
                                restockedQuantity: number | null;
                                sku: string;
                                /** @description "Product – Variant", as ordered */
                                title: string;
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            /** @description Staff's note to the customer at approval */
                            note: string | null;
                            /** @description The return number (`<order number>-R<n>`), to write on the parcel */
                            number: string;
                            orderId: string;
                            orderNumber: string;
                            /** @description Why the customer returns the goods */
                            reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
                            receivedAt: string | null;
                            /** @description The refund made when the goods were received; null when none was (yet) */
                            refund: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                at: string;
                            } | null;
                            /** @description Its refund was sent but the payment gateway has not confirmed it (its answer was lost: MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused it, is undone; do not refund it again meanwhile */
                            refundPending: boolean;
                            rejectedAt: string | null;
                            rejectionReason: string | null;
                            /** @description Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says which; false: none); null until received */
                            restocked: boolean | null;
                            /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
                            status: "requested" | "approved" | "rejected" | "received" | "withdrawn";
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description When the customer withdrew the request; null unless `withdrawn` */
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/return-requests/{id}/receive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The goods arrived: record the return of the request’s lines, optionally refund them
         * @description From `approved` only (else 409 MCART_ERR_ILLEGAL_TRANSITION). Records the return of exactly the request's lines on the order, as POST /api/admin/orders/{id}/returns does (the order becomes `returned`). What goes back to stock: every unit (`restock: true`, or left out), none (`restock: false`), or per line (`lines: [{ orderLineId, restockQuantity }]`, each of the request's lines once, 0..its quantity; the rest is kept out of stock as damaged). A line not of the request, named twice or left out, a quantity above the units received, or `restock` together with `lines`: 400 MCART_ERR_VALIDATION naming `body/lines/<i>/...`, nothing written. The stock ledger gets one movement per restocked line; `lines[].restockedQuantity` says what went back. With `refund: true` (needs `orders:refund`, else 403 before anything changes) the lines are then refunded by line, as POST /api/admin/orders/{id}/refund does: units already refunded by line are not refunded again. A refund the gateway refuses answers its error (502/503) with `returnRequestStatus: "received"`: the goods stay received; refund from the order. The body may be left out.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Restock per line: every line of the request exactly once. Instead of `restock`, for a parcel whose items are partly resellable, partly damaged */
                        lines?: {
                            /**
                             * Format: uuid
                             * @description A line of the request (`lines[].orderLineId`)
                             */
                            orderLineId: string;
                            /** @description How many of the line's received units go back to stock (0..the line's `quantity`); the rest is recorded as returned but kept out of stock (damaged) */
                            restockQuantity: number;
                        }[];
                        /**
                         * @description Then refund the lines by line (what they cost the customer), as POST /api/admin/orders/{id}/refund does; needs `orders:refund` too
                         * @default false
                         */
                        refund?: boolean;
                        /** @description Put all the units back on the shelf (false: none, damaged goods, not sellable). Left out: true, unless `lines` chooses per line; not together with `lines` */
                        restock?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Where staff may move it next */
                            allowedTransitions: ("requested" | "approved" | "rejected" | "received" | "withdrawn")[];
                            approvedAt: string | null;
                            /** @description The customer's comment */
                            comment: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lines: {
                                orderLineId: string;
                                quantity: number;
                                /** @description Units of the line put back in stock at receipt (the rest kept out); null until received */
                                restockedQuantity: number | null;
                                sku: string;
                                /** @description "Product – Variant", as ordered */
                                title: string;
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            /** @description Staff's note to the customer at approval */
                            note: string | null;
                            /** @description The return number (`<order number>-R<n>`), to write on the parcel */
                            number: string;
                            orderId: string;
                            orderNumber: string;
                            /** @description Why the customer returns the goods */
                            reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
                            receivedAt: string | null;
                            /** @description The refund made when the goods were received; null when none was (yet) */
                            refund: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                at: string;
                            } | null;
                            /** @description Its refund was sent but the payment gateway has not confirmed it (its answer was lost: MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused it, is undone; do not refund it again meanwhile */
                            refundPending: boolean;
                            rejectedAt: string | null;
                            rejectionReason: string | null;
                            /** @description Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says which; false: none); null until received */
                            restocked: boolean | null;
                            /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
                            status: "requested" | "approved" | "rejected" | "received" | "withdrawn";
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description When the customer withdrew the request; null unless `withdrawn` */
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/return-requests/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a return request, saying why (e-mailed to the customer)
         * @description From `requested` or `approved` (the goods never came); otherwise 409 MCART_ERR_ILLEGAL_TRANSITION.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Why the return is refused: e-mailed to the customer */
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Where staff may move it next */
                            allowedTransitions: ("requested" | "approved" | "rejected" | "received" | "withdrawn")[];
                            approvedAt: string | null;
                            /** @description The customer's comment */
                            comment: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lines: {
                                orderLineId: string;
                                quantity: number;
                                /** @description Units of the line put back in stock at receipt (the rest kept out); null until received */
                                restockedQuantity: number | null;
                                sku: string;
                                /** @description "Product – Variant", as ordered */
                                title: string;
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            /** @description Staff's note to the customer at approval */
                            note: string | null;
                            /** @description The return number (`<order number>-R<n>`), to write on the parcel */
                            number: string;
                            orderId: string;
                            orderNumber: string;
                            /** @description Why the customer returns the goods */
                            reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
                            receivedAt: string | null;
                            /** @description The refund made when the goods were received; null when none was (yet) */
                            refund: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                at: string;
                            } | null;
                            /** @description Its refund was sent but the payment gateway has not confirmed it (its answer was lost: MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused it, is undone; do not refund it again meanwhile */
                            refundPending: boolean;
                            rejectedAt: string | null;
                            rejectionReason: string | null;
                            /** @description Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says which; false: none); null until received */
                            restocked: boolean | null;
                            /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
                            status: "requested" | "approved" | "rejected" | "received" | "withdrawn";
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description When the customer withdrew the request; null unless `withdrawn` */
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sales */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    q?: string;
                    sort?: "name" | "startsAt" | "endsAt" | "createdAt";
                    state?: "scheduled" | "running" | "ended";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["SaleDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /** Schedule a sale */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        categoryIds?: string[];
                        discountType: "percent" | "fixed";
                        /** @description Percent (1-100) or an amount off in minor units */
                        discountValue: number;
                        endsAt?: string | null;
                        name: string;
                        productIds?: string[];
                        /** Format: date-time */
                        startsAt: string;
                        variantIds?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            categoryIds: string[];
                            /** Format: date-time */
                            createdAt: string;
                            discountType: "percent" | "fixed";
                            discountValue: number;
                            endsAt: string | null;
                            id: string;
                            name: string;
                            productIds: string[];
                            /** Format: date-time */
                            startsAt: string;
                            state: "scheduled" | "running" | "ended";
                            /** Format: date-time */
                            updatedAt: string;
                            variantIds: string[];
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/sales/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One sale */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            categoryIds: string[];
                            /** Format: date-time */
                            createdAt: string;
                            discountType: "percent" | "fixed";
                            discountValue: number;
                            endsAt: string | null;
                            id: string;
                            name: string;
                            productIds: string[];
                            /** Format: date-time */
                            startsAt: string;
                            state: "scheduled" | "running" | "ended";
                            /** Format: date-time */
                            updatedAt: string;
                            variantIds: string[];
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a sale (prices return at once) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a sale (optimistic) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        categoryIds?: string[];
                        discountType?: "percent" | "fixed";
                        /** @description Percent (1-100) or an amount off in minor units */
                        discountValue?: number;
                        endsAt?: string | null;
                        name?: string;
                        productIds?: string[];
                        /** Format: date-time */
                        startsAt?: string;
                        variantIds?: string[];
                        version: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            categoryIds: string[];
                            /** Format: date-time */
                            createdAt: string;
                            discountType: "percent" | "fixed";
                            discountValue: number;
                            endsAt: string | null;
                            id: string;
                            name: string;
                            productIds: string[];
                            /** Format: date-time */
                            startsAt: string;
                            state: "scheduled" | "running" | "ended";
                            /** Format: date-time */
                            updatedAt: string;
                            variantIds: string[];
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/settings/security": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Store-wide sign-in policy */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            staffTotpRequired: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Require TOTP for every staff member (owner)
         * @description Members without TOTP are made to enroll at their next sign-in before they get a session.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        staffTotpRequired: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            staffTotpRequired: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/shipments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List shipments */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    orderId?: string;
                    page?: number;
                    perPage?: number;
                    q?: string;
                    sort?: "createdAt" | "status" | "orderNumber" | "trackingNumber";
                    status?: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                    trackingNumber?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                carrier: string;
                                /** Format: date-time */
                                createdAt: string;
                                deliveredAt: string | null;
                                handedOverAt: string | null;
                                heightMm: number;
                                /** Format: uuid */
                                id: string;
                                lengthMm: number;
                                /** Format: uuid */
                                orderId: string;
                                orderNumber: string;
                                provider: string;
                                rate: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                service: string;
                                status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                                trackingNumber: string;
                                trackingUrl: string;
                                voidedAt: string | null;
                                weightGrams: number;
                                widthMm: number;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/shipments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One shipment with its lines, recipient and tracking timeline */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            carrier: string;
                            /** Format: date-time */
                            createdAt: string;
                            deliveredAt: string | null;
                            events: {
                                description: string | null;
                                location: string | null;
                                /** Format: date-time */
                                occurredAt: string;
                                source: string;
                                status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                            }[];
                            handedOverAt: string | null;
                            heightMm: number;
                            /** Format: uuid */
                            id: string;
                            lengthMm: number;
                            lines: {
                                /** Format: uuid */
                                id: string;
                                /** Format: uuid */
                                orderLineId: string;
                                quantity: number;
                                sku: string;
                                title: string;
                                variantId: string | null;
                            }[];
                            /** Format: uuid */
                            orderId: string;
                            orderNumber: string;
                            provider: string;
                            rate: {
                                amount: number;
                                currency: string;
                            } | null;
                            recipient: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            service: string;
                            status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                            trackingNumber: string;
                            trackingUrl: string;
                            voidedAt: string | null;
                            weightGrams: number;
                            widthMm: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/shipments/{id}/label": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The shipping label: 4x6 inch PDF (application/pdf) or ZPL for thermal printers (text/plain) */
        get: {
            parameters: {
                query?: {
                    format?: "pdf" | "zpl";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The label file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/pdf": string;
                        "text/plain": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/shipments/{id}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Void the label of a shipment not yet handed to the carrier */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            carrier: string;
                            /** Format: date-time */
                            createdAt: string;
                            deliveredAt: string | null;
                            events: {
                                description: string | null;
                                location: string | null;
                                /** Format: date-time */
                                occurredAt: string;
                                source: string;
                                status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                            }[];
                            handedOverAt: string | null;
                            heightMm: number;
                            /** Format: uuid */
                            id: string;
                            lengthMm: number;
                            lines: {
                                /** Format: uuid */
                                id: string;
                                /** Format: uuid */
                                orderLineId: string;
                                quantity: number;
                                sku: string;
                                title: string;
                                variantId: string | null;
                            }[];
                            /** Format: uuid */
                            orderId: string;
                            orderNumber: string;
                            provider: string;
                            rate: {
                                amount: number;
                                currency: string;
                            } | null;
                            recipient: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            service: string;
                            status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                            trackingNumber: string;
                            trackingUrl: string;
                            voidedAt: string | null;
                            weightGrams: number;
                            widthMm: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/shipments/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Labels of several shipments as one file (one PDF page each, or concatenated ZPL): one print job */
        get: {
            parameters: {
                query: {
                    format?: "pdf" | "zpl";
                    ids: string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The labels file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/pdf": string;
                        "text/plain": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/shipments/tracking-import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import tracking events from a CSV (columns: tracking_number or order_number, status, time, location)
         * @description multipart/form-data with one file field (at most 2 MB and 5000 rows). Separated by commas, semicolons or tabs; UTF-8, UTF-16 or Windows-1252. Good rows join their shipment's timeline (`imported`): `applied` ones moved the shipment, the others are listed in `notApplied` with the reason; `rejected` lists the rows not imported, each with its reason and, when one column is at fault, that column (`field`, as the header names it). A row giving both a tracking number and an order number is imported only when the tracking number is a parcel of that order. `time` is ISO 8601 with a zone (2026-11-26T14:00:00Z), from 2000 to 15 minutes after the server's clock.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Rows that moved their shipment's status (and its order's) */
                            applied: number;
                            /** @description Rows imported before (or twice in this file): no second effect */
                            duplicates: number;
                            /** @description Rows newly added to a shipment's timeline: `applied` + `recorded` */
                            imported: number;
                            /** @description The `recorded` rows: in the timeline, but the shipment's status did not change (an older event than its latest, or a move not allowed after its status) */
                            notApplied: {
                                /** @description The column the reason is about, as the file's header names it; absent when the reason is about the row as a whole */
                                field?: string;
                                reason: string;
                                /** @description Line number in the file (the header is line 1) */
                                row: number;
                                value?: string;
                            }[];
                            /** @description Rows kept in the shipment's timeline without moving it; each is listed in `notApplied` with the reason */
                            recorded: number;
                            /** @description Rows not imported, with the reason */
                            rejected: {
                                /** @description The column the reason is about, as the file's header names it; absent when the reason is about the row as a whole */
                                field?: string;
                                reason: string;
                                /** @description Line number in the file (the header is line 1) */
                                row: number;
                                value?: string;
                            }[];
                            /** @description Data rows in the file */
                            rows: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/shipping-methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List shipping methods (store order by default: sort, then name) */
        get: {
            parameters: {
                query?: {
                    active?: boolean;
                    /** @description These methods only (repeat `id`) */
                    id?: string[];
                    /** @description `flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount` */
                    kind?: "flat" | "free_over";
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    /** @description Part of the code or the name */
                    q?: string;
                    sort?: "sort" | "name" | "code" | "amount" | "createdAt" | "updatedAt";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AdminShippingMethodDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a shipping method
         * @description 409 `MCART_ERR_DUPLICATE_SHIPPING_METHOD_CODE` when the code is taken; `isDefault: true` unsets the previous default.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Inactive methods are not offered and refused at checkout */
                        active?: boolean;
                        amount: {
                            /** @description Minor units */
                            amount: number;
                            /** @description The store's currency */
                            currency: string;
                        };
                        /** @description Letters, digits, _ and - (1-32), kept in lower case; unique */
                        code: string;
                        /** @description Required for `free_over`, null for `flat` */
                        freeOverAmount?: {
                            /** @description Minor units */
                            amount: number;
                            /** @description The store's currency */
                            currency: string;
                        } | null;
                        /** @description The method a cart gets until the shopper chooses; making one default unsets the previous one */
                        isDefault?: boolean;
                        /** @description `flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount` */
                        kind: "flat" | "free_over";
                        /** @description What shoppers see */
                        name: string;
                        /** @description Store display order */
                        sort?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            amount: {
                                amount: number;
                                currency: string;
                            };
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            freeOverAmount: {
                                amount: number;
                                currency: string;
                            } | null;
                            id: string;
                            isDefault: boolean;
                            /** @description `flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount` */
                            kind: "flat" | "free_over";
                            name: string;
                            sort: number;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/shipping-methods/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One shipping method */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            amount: {
                                amount: number;
                                currency: string;
                            };
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            freeOverAmount: {
                                amount: number;
                                currency: string;
                            } | null;
                            id: string;
                            isDefault: boolean;
                            /** @description `flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount` */
                            kind: "flat" | "free_over";
                            name: string;
                            sort: number;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a shipping method (optimistic: send the version you edited)
         * @description Deactivate with `active: false` (not offered any more, refused at checkout). The default method cannot be deactivated or unset (409 `MCART_ERR_SHIPPING_METHOD_IS_DEFAULT`): make another one the default instead.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Inactive methods are not offered and refused at checkout */
                        active?: boolean;
                        amount?: {
                            /** @description Minor units */
                            amount: number;
                            /** @description The store's currency */
                            currency: string;
                        };
                        /** @description Letters, digits, _ and - (1-32), kept in lower case; unique */
                        code?: string;
                        /** @description Required for `free_over`, null for `flat` */
                        freeOverAmount?: {
                            /** @description Minor units */
                            amount: number;
                            /** @description The store's currency */
                            currency: string;
                        } | null;
                        /** @description The method a cart gets until the shopper chooses; making one default unsets the previous one */
                        isDefault?: boolean;
                        /** @description `flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount` */
                        kind?: "flat" | "free_over";
                        /** @description What shoppers see */
                        name?: string;
                        /** @description Store display order */
                        sort?: number;
                        /** @description The version edited: a stale one is refused (409) */
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            amount: {
                                amount: number;
                                currency: string;
                            };
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            freeOverAmount: {
                                amount: number;
                                currency: string;
                            } | null;
                            id: string;
                            isDefault: boolean;
                            /** @description `flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount` */
                            kind: "flat" | "free_over";
                            name: string;
                            sort: number;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/shipping/to-pack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Paid orders with units left to ship, oldest paid first, each with its pick list */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                lines: {
                                    ordered: number;
                                    /** Format: uuid */
                                    orderLineId: string;
                                    remaining: number;
                                    sku: string;
                                    title: string;
                                    variantId: string | null;
                                    weightGrams: number | null;
                                }[];
                                number: string;
                                /** Format: uuid */
                                orderId: string;
                                /** Format: date-time */
                                paidAt: string;
                                shipTo: {
                                    city: string;
                                    country: string;
                                    name: string;
                                };
                                status: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Staff accounts */
        get: {
            parameters: {
                query?: {
                    disabled?: boolean;
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    q?: string;
                    role?: "owner" | "admin" | "manager" | "warehouse" | "support";
                    sort?: "createdAt" | "email" | "lastName" | "role" | "lastLoginAt";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AdminStaffDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a staff account (owners and admins; only an owner creates an owner)
         * @description The password is an initial one to hand over: the member’s sign-in answers `passwordChangeRequired: true` until they choose their own (POST /api/admin/auth/password). It follows the password policy: 400 MCART_ERR_WEAK_PASSWORD on `body/password` for a common one or one holding the e-mail address.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        firstName: string;
                        lastName: string;
                        password: string;
                        role: "owner" | "admin" | "manager" | "warehouse" | "support";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            firstName: string;
                            id: string;
                            lastLoginAt: string | null;
                            lastName: string;
                            passwordChangeRequired: boolean;
                            role: "owner" | "admin" | "manager" | "warehouse" | "support";
                            totpEnabled: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/staff/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One staff account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            firstName: string;
                            id: string;
                            lastLoginAt: string | null;
                            lastName: string;
                            passwordChangeRequired: boolean;
                            role: "owner" | "admin" | "manager" | "warehouse" | "support";
                            totpEnabled: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change role, disable/enable, or rename a staff account
         * @description A role change or disabling ends the member’s sessions. Admins cannot change owners, not even their names, nor promote to owner (403 MCART_ERR_OWNER_ONLY, nothing written).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled?: boolean;
                        firstName?: string;
                        lastName?: string;
                        role?: "owner" | "admin" | "manager" | "warehouse" | "support";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            firstName: string;
                            id: string;
                            lastLoginAt: string | null;
                            lastName: string;
                            passwordChangeRequired: boolean;
                            role: "owner" | "admin" | "manager" | "warehouse" | "support";
                            totpEnabled: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/staff/{id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a staff member’s password: a temporary one, answered once, to change at sign-in
         * @description Owners and admins (`staff:manage`); only an owner resets an owner’s (403 MCART_ERR_OWNER_ONLY), and nobody their own here (409 MCART_ERR_SELF_CHANGE: POST /api/admin/auth/password). Every session of the member ends; their role, enabled state and second factor stay. Their next sign-in answers `passwordChangeRequired: true` until they choose their own. Audited as `staff.password_reset`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            staff: components["schemas"]["AdminStaffDto"];
                            /** @description Hand it to the member: it signs in once more, then they must choose their own. */
                            temporaryPassword: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/staff/{id}/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Reset a staff member’s TOTP (owner): their sessions and recovery codes end, they enroll again if required */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            firstName: string;
                            id: string;
                            lastLoginAt: string | null;
                            lastName: string;
                            passwordChangeRequired: boolean;
                            role: "owner" | "admin" | "manager" | "warehouse" | "support";
                            totpEnabled: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stock-alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Restock requests: per variant, how many shoppers wait for a back-in-stock e-mail
         * @description Variants with live alerts: `waiting` confirmed (to be e-mailed), `pending` awaiting their confirmation; most wanted first by default (`sort=waiting&order=DESC`; also `pending`, `oldestAt`, `sku`). No addresses: what to restock needs only the counts.
         */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    sort?: "waiting" | "pending" | "oldestAt" | "sku";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description The variant id */
                                id: string;
                                /** Format: date-time */
                                oldestAt: string;
                                /** @description Alerts whose address has not confirmed yet (expire after 48 hours unless confirmed) */
                                pending: number;
                                productId: string;
                                productTitle: string;
                                sku: string;
                                variantId: string;
                                variantTitle: string;
                                /** @description Confirmed alerts waiting for this variant: the shoppers e-mailed when it is back */
                                waiting: number;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stock-levels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stock levels (same as /api/admin/inventory/levels) */
        get: {
            parameters: {
                query?: {
                    locationId?: string;
                    lowStock?: boolean;
                    order?: "ASC" | "DESC";
                    outOfStock?: boolean;
                    page?: number;
                    perPage?: number;
                    sort?: "variantId" | "locationId" | "onHand" | "reserved" | "available" | "updatedAt";
                    variantId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                allowBackorder: boolean;
                                available: number;
                                /** @description <variantId>:<locationId> */
                                id: string;
                                locationId: string;
                                locationName: string;
                                lowStockThreshold: number | null;
                                onHand: number;
                                reserved: number;
                                /** Format: date-time */
                                updatedAt: string;
                                variantId: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stock-locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stock locations (warehouses) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                active: boolean;
                                code: string;
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                isDefault: boolean;
                                name: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        active?: boolean;
                        code: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stock-locations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        active?: boolean;
                        code?: string;
                        isDefault?: boolean;
                        name?: string;
                        /** @description The version you read: a stale one gets 409 MCART_ERR_STALE_WRITE */
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/stock-movements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The stock ledger (same as /api/admin/inventory/movements) */
        get: {
            parameters: {
                query?: {
                    kind?: "received" | "adjusted" | "reserved" | "released" | "sold" | "returned" | "transfer_out" | "transfer_in";
                    locationId?: string;
                    order?: "ASC" | "DESC";
                    orderId?: string;
                    page?: number;
                    perPage?: number;
                    sort?: "id" | "createdAt";
                    variantId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                kind: "received" | "adjusted" | "reserved" | "released" | "sold" | "returned" | "transfer_out" | "transfer_in";
                                locationId: string;
                                onHandDelta: number;
                                orderId: string | null;
                                reason: string | null;
                                reservedDelta: number;
                                staffId: string | null;
                                transferId: string | null;
                                variantId: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/variants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find variants by SKU (exact, case-insensitive), text or ids */
        get: {
            parameters: {
                query?: {
                    /** @description Only these ids (react-admin getMany) */
                    id?: string[];
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    productId?: string;
                    /** @description SKU, product or variant title contains */
                    q?: string;
                    /** @description Exact SKU, case-insensitive (a scan) */
                    sku?: string;
                    /** @description Only variants whose SKU another live variant has in another case: kept from before SKUs were unique without case (2026-12-29); changing one of them ends the conflict */
                    skuCaseConflicts?: boolean;
                    sort?: "sku" | "productTitle";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["VariantLookupDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/test-gateway/intents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A test gateway intent */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            amount: number;
                            captureCount: number;
                            capturedAmount: number;
                            id: string;
                            paymentId: string | null;
                            refundedAmount: number;
                            status: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/test-gateway/intents/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Complete the 3-D Secure action of a test intent and deliver the signed webhook */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        outcome?: "succeed" | "fail";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            intent: {
                                amount: number;
                                captureCount: number;
                                capturedAmount: number;
                                id: string;
                                paymentId: string | null;
                                refundedAmount: number;
                                status: string;
                            };
                            webhook: {
                                eventId: string;
                                statusCode: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Customer sign-in
         * @description Same 401 for an unknown e-mail, a wrong password and a disabled account. At most AUTH_IP_LIMIT attempts per client (an IPv4 address or an IPv6 /64) and AUTH_ACCOUNT_LIMIT per account from one client in AUTH_LIMIT_WINDOW_SECONDS, and ten times AUTH_ACCOUNT_LIMIT per account from all clients: then 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            customer: components["schemas"]["CustomerSummaryDto"];
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session of this refresh token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/oauth/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start a social sign-in: 302 to the provider
         * @description With OAUTH_RETURN_URL, a failure is a 302 back to it with `?error=`: MCART_ERR_UNKNOWN_PROVIDER for a provider that is not configured, MCART_ERR_UNAVAILABLE when the provider cannot be reached, MCART_ERR_RATE_LIMITED past AUTH_IP_LIMIT starts per client IP in AUTH_LIMIT_WINDOW_SECONDS. Without it, the same errors as problems (404, 503, 429 with Retry-After).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/oauth/{provider}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The provider returns here; completes the sign-in or the linking
         * @description At most AUTH_IP_LIMIT callbacks per client IP in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After (with OAUTH_RETURN_URL, a 302 back to it with that `?error=`).
         */
        get: {
            parameters: {
                query?: {
                    code?: string;
                    error?: string;
                    error_description?: string;
                    iss?: string;
                    state?: string;
                };
                header?: never;
                path: {
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CustomerAuthDto"] | {
                            linkCode: string;
                        };
                    };
                };
                /** @description Default Response */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/oauth/exchange": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange the one-time code from OAUTH_RETURN_URL for tokens
         * @description At most AUTH_IP_LIMIT exchanges per client IP in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            customer: components["schemas"]["CustomerSummaryDto"];
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/oauth/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The configured social sign-in providers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: string;
                                name: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * E-mail a password reset link
         * @description Always 202, whether or not the account exists. The link (`PUBLIC_URL/reset-password?token=...`) works once, for one hour.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with a reset token
         * @description Ends every session of the account. 400 MCART_ERR_WEAK_PASSWORD on `body/password` for a too common password or one holding the e-mail address or its part before the @ (the link stays usable).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token (single use) for a new token pair
         * @description A spent token is refused with 401 MCART_ERR_INVALID_REFRESH_TOKEN and its whole family (session) is revoked. A session ends CUSTOMER_SESSION_MAX_DAYS after sign-in however often it is refreshed (or after 30 days unused): then 401 MCART_ERR_SESSION_EXPIRED, sign in again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a customer account and sign in
         * @description Sends an e-mail verification link. 409 MCART_ERR_EMAIL_TAKEN (on `body/email`) when the e-mail is taken; 400 MCART_ERR_WEAK_PASSWORD (on `body/password`) for a too common password or one holding the e-mail address or its part before the @.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        firstName: string;
                        lastName: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            customer: components["schemas"]["CustomerSummaryDto"];
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/auth/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm the e-mail address with the e-mailed token
         * @description At most AUTH_IP_LIMIT attempts per client IP in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a cart (a guest cart, or the signed-in customer's)
         * @description No body, or `{}`: the cart belongs to the bearer of the token, if any.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The cart with live prices and totals */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Place the order and pay
         * @description Send an `Idempotency-Key` header: the same key and body replay the first answer (`Idempotent-Replayed: true`); another body with that key is 422; while the first is running, 409. 409 MCART_ERR_OUT_OF_STOCK lists the short variants; 409 MCART_ERR_PRICE_CHANGED lists the new prices (`changes`) and the new `totals` (nothing charged; the cart now shows them, so a retry charges them); it also answers when the shipping the cart last showed now costs another amount (a new rate, or a moved free-shipping threshold) or, with no method in the body, would be another method (the shown default withdrawn or replaced), with `shippingChange: { from, to }` (and `fromMethodId`, `toMethodId` when the method changed; a method chosen in the body other than the shown one is charged as listed); and when the discount code now gives less than the cart last showed (the code edited since), with `discountChange: { from, to }` (a larger discount is charged without a 409: the shopper pays less than shown, never more; a code that no longer applies at all is 409 MCART_ERR_DISCOUNT_NOT_APPLICABLE); 402 MCART_ERR_PAYMENT_DECLINED; 409 MCART_ERR_ORDER_CANCELLED when the order was cancelled while its payment ran (anything taken is given back). A retry with another key after an interrupted checkout pays the pending order the cart became. A guest cart checked out by a signed-in customer is theirs from then on: anyone else (another customer, or no token) gets 404 MCART_ERR_CART_NOT_FOUND for it, as for an unknown cart.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        payment: {
                            provider: string;
                            token?: string;
                        };
                        shippingAddress: {
                            city: string;
                            /** @description Company or organisation, printed under the name (trimmed; blank is left out) */
                            company?: string;
                            /** @description An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/shippingAddress/country` otherwise (XX, ZZ, EU, UK: ADR 0059). */
                            country: string;
                            line1: string;
                            line2?: string;
                            name: string;
                            phone?: string;
                            postalCode: string;
                            /** @description State, province or county; optional, for every country. For US and CA, when given, the 2-letter state or province code (IL, ON), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/shippingAddress/region` otherwise. Free text elsewhere (trimmed; blank is left out). */
                            region?: string;
                        };
                        /** Format: uuid */
                        shippingMethodId?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            order: {
                                id: string;
                                number: string;
                                status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            payment?: {
                                clientSecret?: string;
                                id: string;
                                status: "authorized" | "captured" | "requires_action" | "declined";
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                402: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * After sign-in: attach a guest cart to the customer, merging it into their open cart if they have one
         * @description Answers the customer's cart, whose id may differ from the guest cart's (the guest cart is retired after a merge). A variant in both carts adds up to at most what is available (unless it may be backordered) and 999 a line, never below what either cart held. 409 MCART_ERR_CART_TOO_LARGE when the two carts together would hold more than 100 different items (`maxItems`, `items`, `customerCartId`): nothing is merged, both carts stay as they were. A guest cart already merged into the caller's open cart (a retried claim, another tab signing in) answers that cart; a cart another customer claimed (even while this request waited) is 404, as for any customer cart not the caller's.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}/discount": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply a discount code
         * @description One code per cart: a new one replaces the last (codes do not stack). Compared case-insensitively. A code that does not apply is refused on `body/code` (the cart keeps the code it had): 404 MCART_ERR_DISCOUNT_CODE_UNKNOWN, 422 MCART_ERR_DISCOUNT_CODE_EXPIRED (not yet or no longer valid), 422 MCART_ERR_DISCOUNT_CODE_MIN_SUBTOTAL (`minSubtotal`), 409 MCART_ERR_DISCOUNT_CODE_EXHAUSTED, 409 MCART_ERR_DISCOUNT_CODE_CUSTOMER_LIMIT.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        /** Remove the discount code */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a variant (quantities add up)
         * @description Adds to the line of that variant, if the cart has one: one line holds at most 999 (400 on `body/quantity` beyond). 404 MCART_ERR_VARIANT_NOT_FOUND for an unknown variant and for one that is not for sale (its product a draft, archived or deleted), as on every store route; 409 MCART_ERR_NOT_PURCHASABLE only when the cart already holds a line of the variant and its product was withdrawn since (`variants: [{ variantId, itemId }]`: remove the line); 409 MCART_ERR_OUT_OF_STOCK when the line would hold more than is available.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        quantity: number;
                        /** Format: uuid */
                        variantId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}/items/{itemId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a line */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    itemId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a line's quantity
         * @description The new quantity of the line (1-999; more than before needs the stock). 0 is refused (400): remove a line with DELETE. 409 MCART_ERR_NOT_PURCHASABLE when the product of the line was withdrawn (remove the line).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    itemId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        quantity: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/store/carts/{id}/shipping-method": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Choose the shipping method */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        shippingMethodId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            discountCode: string | null;
                            discountProblem: string | null;
                            /** @description The cart id; for a guest cart it is the only key to it: keep it secret */
                            id: string;
                            itemCount: number;
                            items: {
                                id: string;
                                inStock: boolean;
                                productId: string | null;
                                productTitle: string;
                                /** @description False when the product was withdrawn: remove the line to check out */
                                purchasable: boolean;
                                quantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                sku: string | null;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            orderId: string | null;
                            /** @description Prices that changed since this cart was last shown (already applied to the lines) */
                            priceChanges: {
                                current: {
                                    amount: number;
                                    currency: string;
                                };
                                itemId: string;
                                previous: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                            }[];
                            shippingMethod: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            } | null;
                            status: "open" | "completed";
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The category tree
         * @description Cacheable by anyone (`Cache-Control: public, no-cache`) with an ETag: send it back in If-None-Match for a 304.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CategoryTreeNodeDto"][];
                    };
                };
                /** @description Not modified: the answer is the one whose ETag was sent in If-None-Match */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in customer */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string | null;
                            emailVerified: boolean;
                            firstName: string;
                            hasPassword: boolean;
                            id: string;
                            identities: components["schemas"]["LinkedIdentityDto"][];
                            lastName: string;
                            pendingEmail: {
                                /** Format: date-time */
                                expiresAt: string;
                                newEmail: string;
                            } | null;
                            phone: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Erase your account and personal data
         * @description Send `{ password }` when the account has a password (400 MCART_ERR_PASSWORD_REQUIRED without it, 403 MCART_ERR_WRONG_PASSWORD when wrong). An account created by a social sign-in has none: it must have signed in within the last 10 minutes (403 MCART_ERR_RECENT_SIGN_IN_REQUIRED). 409 MCART_ERR_ERASURE_BLOCKED lists the orders (`orders: [{ id, number, status, openReturnRequests? }]`) not yet delivered, cancelled or refunded, or with a return request still open. Then the account, its addresses, sign-in methods and sessions are deleted (the e-mail may register again) and its orders kept for the books without the person: a placeholder e-mail and the country alone. A confirmation is e-mailed to the address. Nothing can be undone.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            customerId: string;
                            /** Format: date-time */
                            erasedAt: string;
                            ordersAnonymised: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change your name or phone */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        firstName?: string;
                        lastName?: string;
                        phone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string | null;
                            emailVerified: boolean;
                            firstName: string;
                            hasPassword: boolean;
                            id: string;
                            identities: components["schemas"]["LinkedIdentityDto"][];
                            lastName: string;
                            pendingEmail: {
                                /** Format: date-time */
                                expiresAt: string;
                                newEmail: string;
                            } | null;
                            phone: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/store/me/addresses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your address book */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AddressDto"][];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add an address
         * @description The first address is the default. An address book holds at most 100 addresses (409 MCART_ERR_ADDRESS_BOOK_FULL).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        city: string;
                        /** @description Company or organisation (trimmed; blank is left out) */
                        company?: string;
                        /** @description An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/country` otherwise (XX, ZZ, EU, UK). */
                        country: string;
                        isDefault?: boolean;
                        line1: string;
                        line2?: string;
                        name: string;
                        phone?: string;
                        postalCode: string;
                        /** @description State, province or county, optional. For US and CA the 2-letter state or province code (IL, ON; anything else is 400 MCART_ERR_VALIDATION on `body/region`), taken in any case, stored upper case. Free text elsewhere (trimmed; blank is left out). */
                        region?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            city: string;
                            /** @description Company or organisation (trimmed; blank is left out) */
                            company?: string;
                            /** @description An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/country` otherwise (XX, ZZ, EU, UK). */
                            country: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            isDefault: boolean;
                            line1: string;
                            line2?: string;
                            name: string;
                            phone?: string;
                            postalCode: string;
                            /** @description State, province or county, optional. For US and CA the 2-letter state or province code (IL, ON; anything else is 400 MCART_ERR_VALIDATION on `body/region`), taken in any case, stored upper case. Free text elsewhere (trimmed; blank is left out). */
                            region?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/addresses/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of your addresses */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            city: string;
                            /** @description Company or organisation (trimmed; blank is left out) */
                            company?: string;
                            /** @description An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/country` otherwise (XX, ZZ, EU, UK). */
                            country: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            isDefault: boolean;
                            line1: string;
                            line2?: string;
                            name: string;
                            phone?: string;
                            postalCode: string;
                            /** @description State, province or county, optional. For US and CA the 2-letter state or province code (IL, ON; anything else is 400 MCART_ERR_VALIDATION on `body/region`), taken in any case, stored upper case. Free text elsewhere (trimmed; blank is left out). */
                            region?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete one of your addresses
         * @description Deleting the default address makes the oldest remaining one the default.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change one of your addresses */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        city?: string;
                        /** @description Company or organisation (trimmed; blank is left out) */
                        company?: string;
                        /** @description An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/country` otherwise (XX, ZZ, EU, UK). */
                        country?: string;
                        isDefault?: boolean;
                        line1?: string;
                        line2?: string;
                        name?: string;
                        phone?: string;
                        postalCode?: string;
                        /** @description State, province or county, optional. For US and CA the 2-letter state or province code (IL, ON; anything else is 400 MCART_ERR_VALIDATION on `body/region`), taken in any case, stored upper case. Free text elsewhere (trimmed; blank is left out). */
                        region?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            city: string;
                            /** @description Company or organisation (trimmed; blank is left out) */
                            company?: string;
                            /** @description An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/country` otherwise (XX, ZZ, EU, UK). */
                            country: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            isDefault: boolean;
                            line1: string;
                            line2?: string;
                            name: string;
                            phone?: string;
                            postalCode: string;
                            /** @description State, province or county, optional. For US and CA the 2-letter state or province code (IL, ON; anything else is 400 MCART_ERR_VALIDATION on `body/region`), taken in any case, stored upper case. Free text elsewhere (trimmed; blank is left out). */
                            region?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/store/me/data-export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download everything the store holds about you (JSON)
         * @description Profile, linked social accounts (never their tokens), addresses, orders with their lines, payments (card brand and last 4 digits only), shipments and tracking, open carts, sign-in sessions (device, IP, dates). Sent as an attachment. At most 5 exports an hour (429 with Retry-After).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            addresses: components["schemas"]["AddressDto"][];
                            carts: components["schemas"]["ExportedCartDto"][];
                            consents: {
                                /** Format: date-time */
                                givenAt: string;
                                purpose: string;
                            }[];
                            customer: {
                                /** Format: date-time */
                                createdAt: string;
                                disabledAt: string | null;
                                email: string | null;
                                emailVerifiedAt: string | null;
                                firstName: string;
                                hasPassword: boolean;
                                id: string;
                                lastLoginAt: string | null;
                                lastName: string;
                                pendingEmailChange: {
                                    /** Format: date-time */
                                    expiresAt: string;
                                    newEmail: string;
                                    /** Format: date-time */
                                    requestedAt: string;
                                } | null;
                                phone: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** Format: date-time */
                            exportedAt: string;
                            /** @enum {string} */
                            format: "mcart.customer-data.v1";
                            identities: {
                                email: string | null;
                                /** Format: date-time */
                                linkedAt: string;
                                provider: string;
                            }[];
                            invoices: {
                                corrects: string | null;
                                id: string;
                                /** Format: date-time */
                                issuedAt: string;
                                kind: "invoice" | "credit_note";
                                number: string;
                                orderId: string;
                                orderNumber: string;
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            orders: components["schemas"]["ExportedOrderDto"][];
                            sessions: {
                                active: boolean;
                                ips: string[];
                                /** Format: date-time */
                                lastUsedAt: string;
                                /** Format: date-time */
                                startedAt: string;
                                userAgents: string[];
                            }[];
                            stockAlerts: {
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                email: string;
                                notifiedAt: string | null;
                                productTitle: string;
                                sku: string;
                                variantId: string;
                                variantTitle: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your e-mail address: e-mails a confirmation link to the new one
         * @description Send `{ newEmail, password }`: the password is required when the account has one (400 MCART_ERR_PASSWORD_REQUIRED without it, 403 MCART_ERR_WRONG_PASSWORD on `body/password` when wrong); an account made by a social sign-in has none and must have signed in within the last 10 minutes (403 MCART_ERR_RECENT_SIGN_IN_REQUIRED). Then 400 MCART_ERR_EMAIL_UNCHANGED for the current address and 409 MCART_ERR_EMAIL_TAKEN (on `body/newEmail`) for an address another account has, as the registration answers. 202: a link (`PUBLIC_URL/confirm-email-change?token=...`, once, 24 hours; a new request retires it) is e-mailed to the new address; nothing changes until it is confirmed at POST /api/store/me/email/confirm. Counts against the password-guess budget of the account (with the password change and the erasure) and AUTH_IP_LIMIT per client IP: 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        newEmail: string;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/email/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm your new e-mail address with the e-mailed token
         * @description Signed in as the account that asked for the change (anyone else, or an unknown, used or expired token: 400 MCART_ERR_INVALID_TOKEN). The address changes and counts as verified, every session ends (other devices too) and a fresh token pair for this one is returned; the old address is told. 409 MCART_ERR_EMAIL_TAKEN when another account took the address since the request (nothing changes). Orders keep the address they were placed with. At most AUTH_IP_LIMIT per client IP and AUTH_ACCOUNT_LIMIT per account in AUTH_LIMIT_WINDOW_SECONDS: 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/identities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Social accounts linked to the signed-in customer */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["LinkedIdentityDto"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/identities/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Link a social account to the signed-in customer
         * @description Answers the provider URL to send the browser to; the provider returns to the usual callback, which sends the browser to OAUTH_RETURN_URL with `link` and `linkCode`: the signed-in front-end then confirms with POST /api/store/me/identities/{provider}/confirm. The account’s e-mail must be verified first (409 MCART_ERR_EMAIL_NOT_VERIFIED; POST /api/store/me/verify-email sends the link again); an account without an e-mail (made by a social sign-in) may link. At most AUTH_IP_LIMIT starts per client IP and AUTH_ACCOUNT_LIMIT per account in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            authorizationUrl: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        /**
         * Unlink a social account from the signed-in customer
         * @description Refused with 409 MCART_ERR_LAST_SIGN_IN_METHOD when it is the only way to sign in (no password and no other linked provider). Works for a provider that is no longer configured. At most AUTH_IP_LIMIT unlinks per client IP and AUTH_ACCOUNT_LIMIT per account in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/identities/{provider}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm a link: the code the callback gave turns into the link
         * @description Only the signed-in customer who started the link can confirm it, once, within 10 minutes; anyone else gets 400 MCART_ERR_OAUTH_FAILED (so a person tricked into finishing the provider step of someone else's link never gets linked to that account). 409 MCART_ERR_EMAIL_NOT_VERIFIED while the account’s e-mail is not verified; 409 MCART_ERR_IDENTITY_TAKEN when the social account is linked to another customer. At most AUTH_IP_LIMIT confirmations per client IP and AUTH_ACCOUNT_LIMIT per account in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            linkedAt: string;
                            provider: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your password
         * @description Ends every session (other devices too) and returns a fresh token pair for this one. 403 MCART_ERR_WRONG_PASSWORD when the current password is wrong; 409 MCART_ERR_NO_PASSWORD for an account made by a social sign-in that has none yet (`hasPassword: false`: it sets one with a reset link). 400 MCART_ERR_WEAK_PASSWORD on `body/newPassword` for a too common one or one holding the e-mail address or its part before the @.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your signed-in devices */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["SessionDto"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Sign one device out */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/me/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the e-mail verification link again
         * @description At most AUTH_ACCOUNT_LIMIT per account and AUTH_IP_LIMIT per client IP in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My orders */
        get: {
            parameters: {
                query?: {
                    order?: "ASC" | "DESC";
                    page?: number;
                    perPage?: number;
                    sort?: "createdAt" | "total";
                    status?: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description Whether POST /api/store/orders/{id}/cancel accepts this order now (pending payment or paid). `allowedTransitions` lists staff's moves, not the shopper's */
                                canCancel: boolean;
                                /** Format: date-time */
                                createdAt: string;
                                customerId: string | null;
                                email: string;
                                id: string;
                                itemCount: number;
                                number: string;
                                paidAt: string | null;
                                refunded: {
                                    amount: number;
                                    currency: string;
                                };
                                status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of my orders
         * @description The order with its parcels (`shipments`, oldest first; voided labels are not listed): carrier, tracking number and link, where the parcel is, and which units it holds. An order of another customer is 404.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            /** @description Whether POST /api/store/orders/{id}/cancel accepts this order now (pending payment or paid). `allowedTransitions` lists staff's moves, not the shopper's */
                            canCancel: boolean;
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shipments: {
                                carrier: string;
                                deliveredAt: string | null;
                                id: string;
                                /** @description The units of the order in this parcel */
                                items: {
                                    quantity: number;
                                    sku: string;
                                    title: string;
                                }[];
                                /** @description When the carrier first reported the parcel (handed over); null while only the label exists */
                                shippedAt: string | null;
                                status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender";
                                trackingNumber: string;
                                /** @description Where to follow this parcel: the link its provider gave; null when there is none */
                                trackingUrl: string | null;
                            }[];
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel my order (until the warehouse starts on it): the payment is voided or refunded
         * @description Allowed while the order is pending payment or paid; once it is processing (a label was bought, or part of it left) the answer is 409 MCART_ERR_ILLEGAL_TRANSITION. An unpaid order gives its cart back, open, and its discount code use. The body (a reason) may be left out.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowedTransitions: ("pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned")[];
                            /** @description Whether POST /api/store/orders/{id}/cancel accepts this order now (pending payment or paid). `allowedTransitions` lists staff's moves, not the shopper's */
                            canCancel: boolean;
                            cancelledAt: string | null;
                            cancelReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            customerId: string | null;
                            discountCode: string | null;
                            email: string;
                            id: string;
                            /** @description Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by line is priced against it (ADR 0044) */
                            lineRefunded: {
                                amount: number;
                                currency: string;
                            };
                            lines: {
                                id: string;
                                productId: string | null;
                                productTitle: string;
                                quantity: number;
                                /** @description The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at the gateway included). A refund by line is priced for all its lines at once: its amount is split over them by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line */
                                refundedAmount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description Units refunded by line (each unit once) */
                                refundedQuantity: number;
                                regularPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                returnedQuantity: number;
                                sku: string;
                                title: string;
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                                variantId: string;
                                weightGrams: number | null;
                                /** @description Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity */
                                withdrawnQuantity: number;
                            }[];
                            number: string;
                            paidAt: string | null;
                            payments?: {
                                [key: string]: unknown;
                            }[];
                            pricesIncludeTax: boolean;
                            refunded: {
                                amount: number;
                                currency: string;
                            };
                            reservedUntil: string | null;
                            shipments: {
                                carrier: string;
                                deliveredAt: string | null;
                                id: string;
                                /** @description The units of the order in this parcel */
                                items: {
                                    quantity: number;
                                    sku: string;
                                    title: string;
                                }[];
                                /** @description When the carrier first reported the parcel (handed over); null while only the label exists */
                                shippedAt: string | null;
                                status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender";
                                trackingNumber: string;
                                /** @description Where to follow this parcel: the link its provider gave; null when there is none */
                                trackingUrl: string | null;
                            }[];
                            shippingAddress: {
                                city: string;
                                company?: string;
                                country: string;
                                line1: string;
                                line2?: string;
                                name: string;
                                phone?: string;
                                postalCode: string;
                                region?: string;
                            };
                            shippingMethod: {
                                id: string | null;
                                name: string;
                            } | null;
                            status: "pending_payment" | "paid" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded" | "partially_refunded" | "returned";
                            taxRateBps: number;
                            timeline?: {
                                actorId: string | null;
                                actorType: string;
                                /** Format: date-time */
                                at: string;
                                fromStatus: string | null;
                                id: string;
                                kind: string;
                                message: string | null;
                                messageKey?: string;
                                messageParams?: {
                                    [key: string]: unknown;
                                };
                                toStatus: string | null;
                            }[];
                            totals: {
                                discount: {
                                    amount: number;
                                    currency: string;
                                };
                                shipping: {
                                    amount: number;
                                    currency: string;
                                };
                                subtotal: {
                                    amount: number;
                                    currency: string;
                                };
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders/{id}/invoices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The invoice and credit notes of one of my orders, oldest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** Format: uuid */
                                id: string;
                                /** @description A credit note: the invoice it corrects (null for an invoice) */
                                invoiceId: string | null;
                                invoiceNumber: string | null;
                                /** Format: date-time */
                                issuedAt: string;
                                kind: "invoice" | "credit_note";
                                /** @description INV-<year>-<seq> or CN-<year>-<seq>: gap-free per kind and year */
                                number: string;
                                /** Format: uuid */
                                orderId: string;
                                orderNumber: string;
                                tax: {
                                    amount: number;
                                    currency: string;
                                };
                                /** @description The invoice total, or the amount a credit note credits (positive) */
                                total: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders/{id}/invoices/{invoiceId}/pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An invoice or credit note of one of my orders, as an A4 PDF */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    invoiceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The document as a PDF (A4) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/pdf": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders/{id}/return-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My order's return requests, oldest first, with their status and lines
         * @description Another customer's order is 404.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["ReturnRequestDto"][];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Ask to return delivered items of my order
         * @description Once goods reached you (the order is delivered, or parcels of it were, and all of it has left the store) and within the store's return window after the last delivery (RETURN_WINDOW_DAYS, 30 day(s) here). Per line at most the units delivered, less those returned and those in open (requested or approved) requests: else 409 MCART_ERR_RETURN_QUANTITY naming `body/lines/<i>/quantity` and listing `lines: [{ orderLineId, returnable }]`. 409 MCART_ERR_NOT_RETURNABLE before delivery (or for a cancelled or fully refunded order), 409 MCART_ERR_RETURN_WINDOW_CLOSED after the window (or when the store takes no requests online), 400 MCART_ERR_VALIDATION for a line not of this order or named twice. Nothing is written on any error. Another customer's order is 404. The store e-mails a confirmation.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Anything the store should know (what is wrong, ...) */
                        comment?: string;
                        /** @description The units to return; each order line once */
                        lines: {
                            /**
                             * Format: uuid
                             * @description A line of this order (`lines[].id`)
                             */
                            orderLineId: string;
                            /** @description Units of the line to send back */
                            quantity: number;
                        }[];
                        /** @description Why the customer returns the goods */
                        reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Where staff may move it next */
                            allowedTransitions: ("requested" | "approved" | "rejected" | "received" | "withdrawn")[];
                            approvedAt: string | null;
                            /** @description The customer's comment */
                            comment: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lines: {
                                orderLineId: string;
                                quantity: number;
                                /** @description Units of the line put back in stock at receipt (the rest kept out); null until received */
                                restockedQuantity: number | null;
                                sku: string;
                                /** @description "Product – Variant", as ordered */
                                title: string;
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            /** @description Staff's note to the customer at approval */
                            note: string | null;
                            /** @description The return number (`<order number>-R<n>`), to write on the parcel */
                            number: string;
                            orderId: string;
                            orderNumber: string;
                            /** @description Why the customer returns the goods */
                            reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
                            receivedAt: string | null;
                            /** @description The refund made when the goods were received; null when none was (yet) */
                            refund: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                at: string;
                            } | null;
                            /** @description Its refund was sent but the payment gateway has not confirmed it (its answer was lost: MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused it, is undone; do not refund it again meanwhile */
                            refundPending: boolean;
                            rejectedAt: string | null;
                            rejectionReason: string | null;
                            /** @description Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says which; false: none); null until received */
                            restocked: boolean | null;
                            /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
                            status: "requested" | "approved" | "rejected" | "received" | "withdrawn";
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description When the customer withdrew the request; null unless `withdrawn` */
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders/{id}/return-requests/{requestId}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw my return request (I changed my mind) before the goods reach the store
         * @description From `requested` or `approved` (the goods have not arrived): the request becomes `withdrawn` (`withdrawnAt`) and its units may be asked for again. From `rejected`, `received` or `withdrawn`: 409 MCART_ERR_ILLEGAL_TRANSITION (`from`, `to`), nothing changed. Of a withdrawal and the store receiving the goods at the same moment, exactly one succeeds; the other is 409. Another customer's order is 404 MCART_ERR_ORDER_NOT_FOUND; a request that is not of this order is 404 MCART_ERR_RETURN_REQUEST_NOT_FOUND. 400 MCART_ERR_VALIDATION for an id that is not a uuid. No body (or an empty one). Answers the request as GET /api/store/orders/{id}/return-requests lists it. Nothing is e-mailed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The order */
                    id: string;
                    /** @description The return request (of this order) */
                    requestId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Where staff may move it next */
                            allowedTransitions: ("requested" | "approved" | "rejected" | "received" | "withdrawn")[];
                            approvedAt: string | null;
                            /** @description The customer's comment */
                            comment: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lines: {
                                orderLineId: string;
                                quantity: number;
                                /** @description Units of the line put back in stock at receipt (the rest kept out); null until received */
                                restockedQuantity: number | null;
                                sku: string;
                                /** @description "Product – Variant", as ordered */
                                title: string;
                                unitPrice: {
                                    amount: number;
                                    currency: string;
                                };
                            }[];
                            /** @description Staff's note to the customer at approval */
                            note: string | null;
                            /** @description The return number (`<order number>-R<n>`), to write on the parcel */
                            number: string;
                            orderId: string;
                            orderNumber: string;
                            /** @description Why the customer returns the goods */
                            reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
                            receivedAt: string | null;
                            /** @description The refund made when the goods were received; null when none was (yet) */
                            refund: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                /** Format: date-time */
                                at: string;
                            } | null;
                            /** @description Its refund was sent but the payment gateway has not confirmed it (its answer was lost: MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused it, is undone; do not refund it again meanwhile */
                            refundPending: boolean;
                            rejectedAt: string | null;
                            rejectionReason: string | null;
                            /** @description Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says which; false: none); null until received */
                            restocked: boolean | null;
                            /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
                            status: "requested" | "approved" | "rejected" | "received" | "withdrawn";
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description When the customer withdrew the request; null unless `withdrawn` */
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/payments/{paymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where a payment stands */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    paymentId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            declineCode?: string;
                            /** @description The order was cancelled (its reservation expired or it failed before this payment went through, or it was cancelled since): what the payment took is given back, voided or refunded. The status still says what the gateway did: `captured` with `givenBack` is not a placed order. */
                            givenBack: boolean;
                            /** Format: uuid */
                            orderId: string;
                            /** Format: uuid */
                            paymentId: string;
                            status: "requires_action" | "authorized" | "captured" | "declined" | "canceled" | "pending";
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/payments/{paymentId}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The shopper is back from the required action: MCart asks the gateway and settles the payment */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    paymentId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            declineCode?: string;
                            /** @description The order was cancelled (its reservation expired or it failed before this payment went through, or it was cancelled since): what the payment took is given back, voided or refunded. The status still says what the gateway did: `captured` with `givenBack` is not a placed order. */
                            givenBack: boolean;
                            /** Format: uuid */
                            orderId: string;
                            /** Format: uuid */
                            paymentId: string;
                            status: "requires_action" | "authorized" | "captured" | "declined" | "canceled" | "pending";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Published products: search, filter, sort, page; with facet counts
         * @description Prices are effective now (running sales applied). `total` is exact up to 10,000 filtered products (1,000 search matches) and a lower bound beyond (`totalExact: false`); A search pages through at most 1,000 matches (its candidates): the cheapest, dearest, newest or best-selling ones for those sorts, and for `relevance` the 1,000 newest matches, ranked (equal ranks: newer first, then by id). The order is total, so pages neither repeat nor skip a product while the catalogue stays the same; facets of a search count its candidates. totals and facets are refreshed in the background after catalog changes. Pages reach 10,000 products deep. Cacheable by anyone (`Cache-Control: public, no-cache`) with an ETag: send it back in If-None-Match for a 304.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Category id or slug; sub-categories included */
                    category?: string;
                    inStock?: boolean;
                    /** @description Effective price (sale included), minor units; at least minPrice (400 otherwise) */
                    maxPrice?: number;
                    /** @description Effective price (sale included), minor units */
                    minPrice?: number;
                    onSale?: boolean;
                    /** @description Option or attribute values, all required: option=size:M&option=colour:red */
                    option?: string[];
                    page?: number;
                    perPage?: number;
                    /** @description Search words (web search syntax: "quoted phrase", or, -exclude); at most 200 characters */
                    q?: string;
                    /** @description Default: relevance with q, newest without. With more than 1,000 matches a search keeps 1,000 candidates: relevance ranks the 1,000 newest matches; the other sorts take the first 1,000 in their own order */
                    sort?: "relevance" | "price_asc" | "price_desc" | "newest" | "best_selling";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["StoreProductSummaryDto"][];
                            facets: components["schemas"]["FacetsDto"];
                            page: number;
                            perPage: number;
                            /** @description Exact when totalExact; otherwise a lower bound (see the API docs) */
                            total: number;
                            totalExact: boolean;
                        };
                    };
                };
                /** @description Not modified: the answer is the one whose ETag was sent in If-None-Match */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/products/{idOrSlug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One published product with its variants, prices now and stock flags
         * @description Cacheable by anyone (`Cache-Control: public, no-cache`) with an ETag: send it back in If-None-Match for a 304.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    idOrSlug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attributes: {
                                [key: string]: string;
                            };
                            categoryIds: string[];
                            description: string;
                            dimensionsMm: {
                                height: number | null;
                                length: number | null;
                                width: number | null;
                            } | null;
                            id: string;
                            images: {
                                alt: string;
                                height: number;
                                id: string;
                                /** @description /media/<key>; add ?w=160|320|640|1280 for a resized copy */
                                url: string;
                                width: number;
                            }[];
                            inStock: boolean;
                            price: {
                                amount: number;
                                currency: string;
                            };
                            /** @description The lowest price now, present only when a sale makes it lower than `price` (the lowest regular price). A product may be listed under onSale for a sale on a dearer variant alone: then the variants' own salePrice tell. */
                            salePrice?: {
                                amount: number;
                                currency: string;
                            };
                            slug: string;
                            title: string;
                            variants: components["schemas"]["StoreVariantDto"][];
                            weightGrams: number | null;
                        };
                    };
                };
                /** @description Not modified: the answer is the one whose ETag was sent in If-None-Match */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/shipping-methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shipping methods and their rates */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                amount: {
                                    amount: number;
                                    currency: string;
                                };
                                code: string;
                                freeOverAmount: {
                                    amount: number;
                                    currency: string;
                                } | null;
                                id: string;
                                isDefault: boolean;
                                kind: "flat" | "free_over";
                                name: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/stock-alerts/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm a back-in-stock alert with the token of the e-mailed link
         * @description The double opt-in of POST /api/store/variants/{id}/stock-alerts. 200 `{ status: "confirmed", variantId }`: the address is e-mailed once when the variant can be bought again (at once if it already can). The link works once and for 48 hours: 400 MCART_ERR_INVALID_TOKEN naming `body/token` for an unknown, used or expired one (ask again on the product page). 10 requests a minute per IP address.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The token of the e-mailed link */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "confirmed";
                            /** @description The variant the alert is for */
                            variantId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/tracking/{trackingNumber}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where is my parcel: status and timeline of a shipment by tracking number */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    trackingNumber: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            carrier: string;
                            events: {
                                description: string | null;
                                location: string | null;
                                /** Format: date-time */
                                occurredAt: string;
                                status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                            }[];
                            status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned_to_sender" | "voided";
                            trackingNumber: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/variants/{id}/stock-alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * E-mail me once when this sold-out variant can be bought again
         * @description For guests (`email` required) and signed-in customers (`email` defaults to the account's). Double opt-in: the alert is confirmed at once only for a signed-in customer's own verified address (and linked to the account); any other address gets one e-mail with a single-use link (POST /api/store/stock-alerts/confirm) and its alert is pending, never e-mailed about the product, and forgotten after 48 hours unless confirmed. No confirmation e-mail while the address has an alert for the variant, nor past 3 confirmation e-mails to the address in 24 hours. Always 202 `{ status: 'subscribed' }`, whether or not an e-mail was sent or the address already had an alert. 404 MCART_ERR_VARIANT_NOT_FOUND for an unknown variant or one whose product is not published, 409 MCART_ERR_IN_STOCK when it can be bought now (in stock, or backorders allowed), 400 MCART_ERR_VALIDATION naming `body/email`. One e-mail per confirmed alert, with the price at the time; a confirmed alert never e-mailed is forgotten after 180 days. 10 requests a minute per IP address.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @description Where to send the e-mail; a signed-in customer's account address when left out
                         */
                        email?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "subscribed";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/payments/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Signed payment gateway events (raw body; signature verified before anything is read) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            received: boolean;
                            replayed: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/shipping/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tracking updates from a shipping provider (HMAC-signed: x-mcart-signature: t=<unix>,v1=<hex>) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Events that moved their shipment's status */
                            applied: number;
                            /** @description Events received before: no second effect */
                            duplicates: number;
                            /** @description Events in the body */
                            received: number;
                            /** @description Events kept in the shipment's timeline without moving it: older than its latest event, or not allowed after its status (e.g. in_transit after delivered) */
                            recorded: number;
                            /** @description Events for a tracking number MCart does not know (acknowledged, ignored) */
                            unknown: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An image by its media key, resized to a width of 160, 320, 640 or 1280 px (never enlarged)
         * @description Content-addressed and immutable: cached for a year, ETag per key and width, 304 on If-None-Match.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Width in pixels; the stored original without it */
                    w?: 160 | 320 | 640 | 1280;
                };
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description image/webp */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["ProblemDto"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            status: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AddressDto: {
            city: string;
            /** @description Company or organisation (trimmed; blank is left out) */
            company?: string;
            /** @description An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION on `body/country` otherwise (XX, ZZ, EU, UK). */
            country: string;
            /** Format: date-time */
            createdAt: string;
            id: string;
            isDefault: boolean;
            line1: string;
            line2?: string;
            name: string;
            phone?: string;
            postalCode: string;
            /** @description State, province or county, optional. For US and CA the 2-letter state or province code (IL, ON; anything else is 400 MCART_ERR_VALIDATION on `body/region`), taken in any case, stored upper case. Free text elsewhere (trimmed; blank is left out). */
            region?: string;
        };
        AdminCustomerDto: {
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            email: string | null;
            emailVerified: boolean;
            firstName: string;
            id: string;
            lastLoginAt: string | null;
            lastName: string;
            phone: string | null;
            providers: string[];
        };
        AdminProductListItemDto: {
            categoryIds: string[];
            /** Format: date-time */
            createdAt: string;
            id: string;
            minPrice: {
                amount: number;
                currency: string;
            } | null;
            skus: string[];
            slug: string;
            status: "draft" | "active" | "archived";
            title: string;
            /** Format: date-time */
            updatedAt: string;
            variantCount: number;
            version: number;
        };
        AdminShippingMethodDto: {
            active: boolean;
            amount: {
                amount: number;
                currency: string;
            };
            code: string;
            /** Format: date-time */
            createdAt: string;
            freeOverAmount: {
                amount: number;
                currency: string;
            } | null;
            id: string;
            isDefault: boolean;
            /** @description `flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount` */
            kind: "flat" | "free_over";
            name: string;
            sort: number;
            /** Format: date-time */
            updatedAt: string;
            version: number;
        };
        AdminStaffDto: {
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            email: string;
            firstName: string;
            id: string;
            lastLoginAt: string | null;
            lastName: string;
            passwordChangeRequired: boolean;
            role: "owner" | "admin" | "manager" | "warehouse" | "support";
            totpEnabled: boolean;
        };
        AdminVariantDto: {
            compareAtPrice: {
                amount: number;
                currency: string;
            } | null;
            id: string;
            options: {
                [key: string]: string;
            };
            position: number;
            price: {
                amount: number;
                currency: string;
            };
            productId: string;
            sku: string;
            title: string;
            version: number;
            weightGrams: number | null;
        };
        AuditEntryDto: {
            action: string;
            /** Format: date-time */
            at: string;
            details: {
                [key: string]: unknown;
            } | null;
            id: string;
            ip: string | null;
            method: string | null;
            params: {
                [key: string]: unknown;
            } | null;
            requestId: string | null;
            route: string | null;
            staffId: string | null;
            status: number | null;
        };
        BackupDto: {
            /** Format: date-time */
            createdAt: string;
            /** @description The last restore drill of this backup (restored into a scratch database and checked against its manifest); null until drilled */
            drill: {
                /** Format: date-time */
                at: string;
                durationMs: number | null;
                /** @description Why it failed; null when passed */
                error: string | null;
                status: "passed" | "failed";
            } | null;
            error: string | null;
            fileName: string | null;
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** @description Where the file is: a path on the server, or s3://bucket/key */
            location: string | null;
            /** @description Tables written so far while running, when the instance answering is the one running it; else null */
            progress: {
                tables: number;
                tablesDone: number;
            } | null;
            /** @description Last migration applied when it was taken */
            schemaVersion: string | null;
            /** @description SHA-256 of the whole file */
            sha256: string | null;
            /** @description Compressed file size; null until succeeded */
            sizeBytes: number | null;
            /** Format: date-time */
            startedAt: string;
            status: "running" | "succeeded" | "failed";
            /** @description Row count of every table in the file (schema.table); null until succeeded */
            tables: {
                name: string;
                rows: number;
            }[] | null;
            totalRows: number | null;
            trigger: "manual" | "scheduled" | "cli";
        };
        CategoryDto: {
            id: string;
            name: string;
            parentId: string | null;
            position: number;
            slug: string;
            version: number;
        };
        CategoryTreeNodeDto: {
            children: components["schemas"]["CategoryTreeNodeDto"][];
            id: string;
            name: string;
            slug: string;
        };
        CreateVariantBody: {
            compareAtPrice?: {
                amount: number;
                currency: string;
            } | null;
            options?: {
                [key: string]: string;
            };
            price: {
                amount: number;
                currency: string;
            };
            /** @description Letters, digits, . _ / - (1-64). Unique among live variants without regard to case: "abc-1" is taken by "ABC-1" (409 MCART_ERR_DUPLICATE_SKU) */
            sku: string;
            title?: string;
            weightGrams?: number | null;
        };
        CustomerAuthDto: {
            accessToken: string;
            customer: components["schemas"]["CustomerSummaryDto"];
            expiresIn: number;
            refreshToken: string;
        };
        CustomerSummaryDto: {
            email: string | null;
            firstName: string;
            id: string;
            lastName: string;
        };
        DiscountCodeDto: {
            active: boolean;
            code: string;
            /** Format: date-time */
            createdAt: string;
            description: string;
            discountType: "percent" | "fixed";
            discountValue: number;
            endsAt: string | null;
            id: string;
            minSubtotal: number;
            perCustomerLimit: number | null;
            startsAt: string | null;
            /** Format: date-time */
            updatedAt: string;
            usageCount: number;
            usageLimit: number | null;
            version: number;
        };
        ExportedCartDto: {
            /** Format: date-time */
            createdAt: string;
            items: {
                /** Format: date-time */
                addedAt: string;
                quantity: number;
                unitPrice: {
                    amount: number;
                    currency: string;
                };
                variantId: string;
            }[];
            status: string;
            /** Format: date-time */
            updatedAt: string;
        };
        ExportedOrderDto: {
            cancelledAt: string | null;
            cancelReason: string | null;
            discountCode: string | null;
            email: string;
            id: string;
            lines: {
                quantity: number;
                refundedQuantity: number;
                returnedQuantity: number;
                sku: string;
                title: string;
                total: {
                    amount: number;
                    currency: string;
                };
                unitPrice: {
                    amount: number;
                    currency: string;
                };
            }[];
            number: string;
            paidAt: string | null;
            payments: {
                amount: {
                    amount: number;
                    currency: string;
                };
                captured: {
                    amount: number;
                    currency: string;
                };
                cardBrand: string | null;
                cardLast4: string | null;
                /** Format: date-time */
                createdAt: string;
                provider: string;
                refunded: {
                    amount: number;
                    currency: string;
                };
                status: string;
            }[];
            /** Format: date-time */
            placedAt: string;
            returnRequests: {
                approvedAt: string | null;
                comment: string | null;
                lines: {
                    quantity: number;
                    sku: string;
                    title: string;
                }[];
                note: string | null;
                number: string;
                reason: string;
                receivedAt: string | null;
                refunded: {
                    amount: number;
                    currency: string;
                } | null;
                rejectedAt: string | null;
                rejectionReason: string | null;
                /** Format: date-time */
                requestedAt: string;
                status: string;
                withdrawnAt: string | null;
            }[];
            shipments: {
                carrier: string;
                /** Format: date-time */
                createdAt: string;
                deliveredAt: string | null;
                handedOverAt: string | null;
                lines: {
                    quantity: number;
                    sku: string;
                    title: string;
                }[];
                recipient: {
                    city: string;
                    company?: string;
                    country: string;
                    line1: string;
                    line2?: string;
                    name: string;
                    phone?: string;
                    postalCode: string;
                    region?: string;
                };
                service: string;
                status: string;
                tracking: {
                    /** Format: date-time */
                    at: string;
                    description: string | null;
                    location: string | null;
                    status: string;
                }[];
                trackingNumber: string;
                trackingUrl: string;
            }[];
            shippingAddress: {
                city: string;
                company?: string;
                country: string;
                line1: string;
                line2?: string;
                name: string;
                phone?: string;
                postalCode: string;
                region?: string;
            };
            shippingMethod: string | null;
            status: string;
            statusHistory: {
                /** Format: date-time */
                at: string;
                from: string | null;
                to: string | null;
            }[];
            totals: {
                discount: {
                    amount: number;
                    currency: string;
                };
                refunded: {
                    amount: number;
                    currency: string;
                };
                shipping: {
                    amount: number;
                    currency: string;
                };
                subtotal: {
                    amount: number;
                    currency: string;
                };
                tax: {
                    amount: number;
                    currency: string;
                };
                total: {
                    amount: number;
                    currency: string;
                };
            };
        };
        FacetsDto: {
            categories: {
                count: number;
                id: string;
                name: string;
                slug: string;
            }[];
            options: {
                name: string;
                values: {
                    count: number;
                    value: string;
                }[];
            }[];
            prices: {
                count: number;
                max: number | null;
                min: number;
            }[];
        };
        LinkedIdentityDto: {
            /** Format: date-time */
            linkedAt: string;
            provider: string;
        };
        ProblemDto: {
            code: string;
            detail?: string;
            errors?: {
                message: string;
                path: string;
            }[];
            instance?: string;
            status: number;
            title: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        ProductImageDto: {
            alt: string;
            contentType: string;
            /** Format: date-time */
            createdAt: string;
            height: number;
            id: string;
            /** @description Content-addressed media key (SHA-256 of the stored bytes) */
            key: string;
            position: number;
            /** @description The first image: shown in store lists */
            primary: boolean;
            productId: string;
            sizeBytes: number;
            /** @description Public URL of the image; add ?w=160|320|640|1280 for a resized copy */
            url: string;
            width: number;
        };
        ReturnRequestDto: {
            /** @description Where staff may move it next */
            allowedTransitions: ("requested" | "approved" | "rejected" | "received" | "withdrawn")[];
            approvedAt: string | null;
            /** @description The customer's comment */
            comment: string | null;
            /** Format: date-time */
            createdAt: string;
            id: string;
            lines: {
                orderLineId: string;
                quantity: number;
                /** @description Units of the line put back in stock at receipt (the rest kept out); null until received */
                restockedQuantity: number | null;
                sku: string;
                /** @description "Product – Variant", as ordered */
                title: string;
                unitPrice: {
                    amount: number;
                    currency: string;
                };
            }[];
            /** @description Staff's note to the customer at approval */
            note: string | null;
            /** @description The return number (`<order number>-R<n>`), to write on the parcel */
            number: string;
            orderId: string;
            orderNumber: string;
            /** @description Why the customer returns the goods */
            reason: "damaged" | "wrong_item" | "not_as_described" | "no_longer_needed" | "other";
            receivedAt: string | null;
            /** @description The refund made when the goods were received; null when none was (yet) */
            refund: {
                amount: {
                    amount: number;
                    currency: string;
                };
                /** Format: date-time */
                at: string;
            } | null;
            /** @description Its refund was sent but the payment gateway has not confirmed it (its answer was lost: MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused it, is undone; do not refund it again meanwhile */
            refundPending: boolean;
            rejectedAt: string | null;
            rejectionReason: string | null;
            /** @description Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says which; false: none); null until received */
            restocked: boolean | null;
            /** @description `requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, `received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew it before the goods arrived: from `requested` or `approved`, through the store; staff never set it) */
            status: "requested" | "approved" | "rejected" | "received" | "withdrawn";
            /** Format: date-time */
            updatedAt: string;
            /** @description When the customer withdrew the request; null unless `withdrawn` */
            withdrawnAt: string | null;
        };
        SaleDto: {
            categoryIds: string[];
            /** Format: date-time */
            createdAt: string;
            discountType: "percent" | "fixed";
            discountValue: number;
            endsAt: string | null;
            id: string;
            name: string;
            productIds: string[];
            /** Format: date-time */
            startsAt: string;
            state: "scheduled" | "running" | "ended";
            /** Format: date-time */
            updatedAt: string;
            variantIds: string[];
            version: number;
        };
        SessionDto: {
            /** Format: date-time */
            createdAt: string;
            current: boolean;
            id: string;
            ip: string | null;
            /** Format: date-time */
            lastUsedAt: string;
            userAgent: string | null;
        };
        StaffDto: {
            email: string;
            firstName: string;
            id: string;
            lastName: string;
            role: "owner" | "admin" | "manager" | "warehouse" | "support";
        };
        StaffLoginChallengeDto: {
            challenge: string;
            expiresIn: number;
            next: "totp" | "totp_enroll";
        };
        StaffLoginDto: {
            accessToken: string;
            expiresIn: number;
            /** @description The password was reset by an owner or admin (a temporary one): ask the member to choose their own (POST /api/admin/auth/password) before anything else. */
            passwordChangeRequired: boolean;
            refreshToken: string;
            staff: components["schemas"]["StaffDto"];
        };
        StoreProductSummaryDto: {
            id: string;
            /** @description The primary image, or null */
            image: {
                alt: string;
                height: number;
                /** @description /media/<key>; add ?w=160|320|640|1280 for a resized copy */
                url: string;
                width: number;
            } | null;
            inStock: boolean;
            price: {
                amount: number;
                currency: string;
            };
            /** Format: date-time */
            saleEndsAt?: string;
            /** @description The lowest price now, present only when a sale makes it lower than `price` (the lowest regular price). A product may be listed under onSale for a sale on a dearer variant alone: then the variants' own salePrice tell. */
            salePrice?: {
                amount: number;
                currency: string;
            };
            slug: string;
            title: string;
            variantCount: number;
        };
        StoreVariantDto: {
            compareAtPrice?: {
                amount: number;
                currency: string;
            };
            id: string;
            inStock: boolean;
            options: {
                [key: string]: string;
            };
            price: {
                amount: number;
                currency: string;
            };
            /** Format: date-time */
            saleEndsAt?: string;
            salePrice?: {
                amount: number;
                currency: string;
            };
            sku: string;
            title: string;
        };
        VariantLookupDto: {
            id: string;
            options: {
                [key: string]: string;
            };
            productId: string;
            productTitle: string;
            sku: string;
            title: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

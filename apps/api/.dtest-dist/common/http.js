"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.configureHttp = configureHttp;
const cookie_parser_1 = __importDefault(require("cookie-parser"));
const problem_filter_1 = require("./problem.filter");
/**
 * Request plumbing shared by the server and the tests: body parsing (whose errors — bad JSON, too large — go
 * through the same ProblemFilter as everything else), cookies, and the global exception filter.
 * The app must be created with `{ bodyParser: false }`.
 */
function configureHttp(app, options) {
    const express = app;
    const filter = new problem_filter_1.ProblemFilter();
    // One proxy hop when configured: req.ip is then the client from X-Forwarded-For, not the proxy.
    express.set('trust proxy', options.trustProxy ? 1 : false);
    express.disable('x-powered-by');
    express.useBodyParser('json', {
        limit: options.bodyLimit,
        type: ['application/json', 'application/*+json'],
    });
    express.useBodyParser('urlencoded', { limit: options.bodyLimit, extended: false });
    express.use((err, req, res, next) => {
        if (res.headersSent)
            return next(err);
        const problem = filter.toProblem(err, req);
        res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    });
    express.use((0, cookie_parser_1.default)());
    app.useGlobalFilters(filter);
    return filter;
}
//# sourceMappingURL=http.js.map
"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ClockModule = exports.FixedClock = exports.SystemClock = exports.CLOCK = void 0;
const common_1 = require("@nestjs/common");
/**
 * Time is injected so expiry, windows and status dates are testable.
 * Use: `constructor(@Inject(CLOCK) private readonly clock: Clock)`.
 */
exports.CLOCK = Symbol.for('liftlab.clock');
class SystemClock {
    now() {
        return new Date();
    }
}
exports.SystemClock = SystemClock;
/** A clock that only moves when told to; for tests. */
class FixedClock {
    current;
    constructor(start = '2025-01-15T09:00:00.000Z') {
        this.current = new Date(start).getTime();
        if (Number.isNaN(this.current))
            throw new Error(`FixedClock: invalid start time ${String(start)}`);
    }
    now() {
        return new Date(this.current);
    }
    set(time) {
        this.current = new Date(time).getTime();
    }
    advance(ms) {
        this.current += ms;
        return this.now();
    }
    advanceMinutes(minutes) {
        return this.advance(minutes * 60_000);
    }
}
exports.FixedClock = FixedClock;
/** Global: provides CLOCK (SystemClock). Tests override it with `overrideProvider(CLOCK).useValue(new FixedClock())`. */
let ClockModule = class ClockModule {
};
exports.ClockModule = ClockModule;
exports.ClockModule = ClockModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        providers: [{ provide: exports.CLOCK, useClass: SystemClock }],
        exports: [exports.CLOCK],
    })
], ClockModule);
//# sourceMappingURL=clock.js.map
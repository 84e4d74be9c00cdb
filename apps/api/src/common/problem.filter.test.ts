import {
  Controller,
  Get,
  Injectable,
  INestApplication,
  Logger,
  NotFoundException,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DomainError } from './domain-error';
import { configureHttp } from './http';
import { ZodBody } from './zod.pipe';

@Injectable()
class Thrower {
  secret(): never {
    throw new Error('database password is hunter2');
  }
}

@Controller('t')
class TestController {
  constructor(private readonly thrower: Thrower) {}

  @Get('domain')
  domain(): never {
    throw DomainError.invalidTransition('Experiment', 'draft', 'concluded');
  }

  @Get('nest')
  nest(): never {
    throw new NotFoundException('nothing here');
  }

  @Get('boom')
  boom(): never {
    return this.thrower.secret();
  }

  @Get('limited')
  limited(): never {
    throw DomainError.rateLimited(42);
  }

  @Post('body')
  body(@ZodBody(z.object({ n: z.number().int() })) body: { n: number }): { n: number } {
    return body;
  }
}

describe('ProblemFilter', () => {
  let app: INestApplication;
  const logged: unknown[] = [];

  beforeAll(async () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [TestController],
      providers: [Thrower],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
    configureHttp(app, { bodyLimit: '1kb', trustProxy: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    vi.restoreAllMocks();
  });

  it('renders a DomainError as problem JSON with its status and extension members', async () => {
    const res = await request(app.getHttpServer()).get('/t/domain');
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:liftlab:problem:invalid_transition',
      status: 409,
      code: 'invalid_transition',
      from: 'draft',
      to: 'concluded',
    });
    expect(res.body.detail).toContain('draft');
  });

  it('maps Nest HTTP exceptions and unknown routes', async () => {
    const res = await request(app.getHttpServer()).get('/t/nest');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found', detail: 'nothing here' });
    const missing = await request(app.getHttpServer()).get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('hides the cause of a 500 and logs it under the returned errorId', async () => {
    const res = await request(app.getHttpServer()).get('/t/boom');
    expect(res.status).toBe(500);
    expect(Object.keys(res.body).sort()).toEqual(['errorId', 'status', 'title', 'type']);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    const entry = JSON.stringify(logged.at(-1));
    expect(entry).toContain(res.body.errorId);
  });

  it('sets Retry-After on 429', async () => {
    const res = await request(app.getHttpServer()).get('/t/limited');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('42');
  });

  it('validates bodies with ZodBody and rejects malformed JSON', async () => {
    const ok = await request(app.getHttpServer()).post('/t/body').send({ n: 3 });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ n: 3 });
    const bad = await request(app.getHttpServer()).post('/t/body').send({ n: 1.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'n', rule: 'type_int' }]);
    const broken = await request(app.getHttpServer())
      .post('/t/body')
      .set('content-type', 'application/json')
      .send('{"n":');
    expect(broken.status).toBe(400);
    expect(broken.body.errors).toEqual([{ path: '(body)', rule: 'json' }]);
    const huge = await request(app.getHttpServer())
      .post('/t/body')
      .send({ n: 1, pad: 'x'.repeat(2000) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
  });
});

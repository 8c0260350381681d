/* A C program on the stridefuse C API: runs the built-in simulated runner for
 * a few seconds and prints one line per step, taken from the session's event
 * queue (sf_session_poll_event) on the main thread.
 *
 *   example_c_live_session [SECONDS]
 *
 * Output: "step INDEX SIDE t_ic=T s contact=C s cadence=N spm" per step
 * (a metric the session could not compute prints as "absent(REASON)"), then
 * "session ended after N steps". Exit 0 when there was at least one step. */

#include <stdio.h>
#include <stdlib.h>

#include <stridefuse/stridefuse.h>

static int report(const char* call, int code) {
  fprintf(stderr, "example_c_live_session: %s: %s (%s)\n", call, sf_strerror(code), sf_last_error_message());
  return 1;
}

static void print_metric(const char* name, const sf_metric* m, const char* unit) {
  if (m->present)
    printf(" %s=%.3f %s", name, m->value, unit);
  else
    printf(" %s=absent(%s)", name, sf_absent_reason_name(m->absent_reason));
}

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? atof(argv[1]) : 6.0;
  if (!(seconds > 0.0)) {
    fprintf(stderr, "usage: example_c_live_session [SECONDS > 0]\n");
    return 2;
  }

  sf_session_options options;
  sf_session_options_init(&options);
  options.athlete = "example";
  options.runner.standing_s = 1.0;
  options.duration_s = seconds;

  sf_session* session = NULL;
  int rc = sf_session_create(&options, &session);
  if (rc != SF_OK) return report("sf_session_create", rc);
  rc = sf_session_start(session);
  if (rc != SF_OK) {
    sf_session_destroy(session);
    return report("sf_session_start", rc);
  }

  /* Until the session has stopped by itself and every queued event is taken. */
  sf_event event;
  while ((rc = sf_session_poll_event(session, &event, -1)) == SF_OK) {
    if (event.kind != SF_EVENT_STEP) continue;
    const sf_step_event* step = &event.body.step;
    printf("step %u %s t_ic=%.3f s", (unsigned)step->index, sf_side_name(step->side), step->t_ic_s);
    print_metric("contact", &step->contact_time_s, "s");
    print_metric("cadence", &step->cadence_spm, "spm");
    printf("\n");
  }
  if (rc != SF_ERROR_AGAIN) {
    sf_session_destroy(session);
    return report("sf_session_poll_event", rc);
  }

  uint32_t steps = 0;
  uint64_t dropped = 0;
  sf_session_steps(session, &steps);
  sf_session_dropped(session, &dropped, NULL);
  printf("session ended after %u steps (%llu events dropped)\n", (unsigned)steps, (unsigned long long)dropped);
  sf_session_destroy(session);
  return steps > 0 ? 0 : 1;
}

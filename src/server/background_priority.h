#pragma once

namespace cca::server {

// Lowers the calling thread's CPU priority to that of background work (nice 19), once per
// thread: live ingest and the refresher yield the cores to the threads that answer queries when
// both want them, so dashboards stay quick while a fleet's exports take every core. A thread at
// nice 0 has 68 times the scheduler weight of one at nice 19, so a query outweighs even a dozen
// busy ingest threads (at nice 10 the ratio is 9: a dozen outweighed it, and dashboard answers
// took 15-25 ms at worst under 100k events/s). Raising a thread's nice value needs no privilege,
// and Linux keeps it per thread.
void lower_this_threads_priority();

}  // namespace cca::server

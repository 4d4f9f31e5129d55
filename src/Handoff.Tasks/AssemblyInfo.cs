namespace Handoff.Tasks;

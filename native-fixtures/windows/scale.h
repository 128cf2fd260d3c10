#ifndef SCALE_H
#define SCALE_H
#if defined(_WIN32) && defined(BUILDING_KIT)
#define KIT_API __declspec(dllexport)
#elif defined(_WIN32)
#define KIT_API __declspec(dllimport)
#else
#define KIT_API
#endif
KIT_API int kit_scale(int x);
#endif
